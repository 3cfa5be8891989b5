//! Name variants: the spellings a listed name is matched in.
