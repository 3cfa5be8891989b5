//! The UN Security Council Consolidated List (XML).
