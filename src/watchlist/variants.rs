//! Name variants: the spellings a listed name is matched in.
//!
//! [`name_variants`] turns one listed party into literal terms. The engine
//! folds every term with [`fold_term`] (case, diacritics and breves, hyphens
//! versus spaces, curly versus straight quotes), so those differences are
//! never spelled out here. What is added:
//!
//! - **Persons** (Korean-style names: a one-syllable family name, then a
//!   given name of one to three syllables): the name as written; the given
//!   name joined (`Kim Yong Nam` → `Kim Yongnam`); family name last
//!   (`Yong Nam Kim`, `Yongnam Kim`) when the list gives the name parts or
//!   the order is clear (a hyphenated given name, a known family name);
//!   McCune–Reischauer apostrophes removed (`Ch'oe` → `Choe`,
//!   `P'yong` → `Pyong`). Other persons: the name as written and without
//!   apostrophes.
//! - **Entities**: the name as written; without legal-form words
//!   (Corporation, Corp., Co., Ltd, Limited, Company, JV, General Bureau,
//!   Group of Companies, and then Trading / General / Group before them) when
//!   what remains is distinctive; without a trailing "of Korea" / "of the
//!   DPRK"; an acronym or original-script name given in parentheses as its own
//!   variant (`DAEDONG CREDIT BANK (DCB)` → `DCB`); quotes around an alias
//!   and cross-references such as `(KPE.018)` removed. Abbreviations the list
//!   gives as aliases (KOMID, RGB, NATA...) are variants like any alias.
//! - **Vessels**: the name as written, without apostrophes, and with its
//!   syllables joined (`YU JONG 2` → `Yujong 2`). IMO numbers are matched by
//!   the engine separately ([`imo_check_digit_ok`]).
//!
//! # Precision policy
//!
//! A variant **needs context** (a term of the pack's context list, e.g. the
//! `dprk` names, in the same sentence) when, folded, it is:
//!
//! - a single word shorter than 6 letters (`KOMID`, `DCB`, `RGB`, `Unsan`);
//! - a single common or generic word (`Jindallae`, `Mooyok`);
//! - any single word naming a person, or a person's name of two short parts
//!   (7 letters or fewer in all: `Kim Kyu`, `Son Min`, `Mr. Bai`);
//! - an entity name whose words (ignoring "of", "the", legal forms) are all
//!   generic, country or number words, three words or fewer (`Third Floor`,
//!   `Office 39`, `Ministry of Defence`, `Foreign Trade Bank`);
//! - any vessel name (ship names are often common words).
//!
//! A variant is **never emitted** when it is a given name alone or a family
//! name alone (single-word aliases of Korean-style names, e.g. `Young-Chul`,
//! and aliases equal to the given name); when stripping legal forms leaves a
//! single generic word or a single word under 6 letters (`RECONNAISSANCE
//! GENERAL BUREAU` gives no `Reconnaissance`, `KOTI CORP` no `Koti`); or when
//! it has no letter or digit. Low-quality aliases keep [`Quality::Low`] so the
//! engine lowers confidence. Variants are deduplicated by folded term, the
//! first kept: the primary name first, then good aliases, then low ones.

use std::collections::HashSet;

use super::{Party, PartyKind, Quality};
use crate::normalize::fold_term;

/// One spelling a party is matched in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameVariant {
    /// The literal term (folded by the engine before matching).
    pub term: String,
    /// The list's spelling the variant comes from (primary name or alias).
    pub alias: String,
    /// Quality of that spelling.
    pub quality: Quality,
    /// Whether the term matches only with context in the same sentence (see
    /// the precision policy in the module documentation).
    pub needs_context: bool,
    /// Whether the variant comes from the primary name.
    pub primary: bool,
}

/// Whether `number` is a ship IMO number: exactly seven ASCII digits whose
/// first six, weighted 7, 6, 5, 4, 3, 2, sum to a number whose last digit is
/// the seventh.
///
/// ```
/// use sanctions_check::watchlist::variants::imo_check_digit_ok;
/// assert!(imo_check_digit_ok("9074729")); // 9·7+0·6+7·5+4·4+7·3+2·2 = 139
/// assert!(!imo_check_digit_ok("9074728"));
/// assert!(!imo_check_digit_ok("IMO 9074729"));
/// ```
pub fn imo_check_digit_ok(number: &str) -> bool {
    let b = number.as_bytes();
    if b.len() != 7 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b[..6]
        .iter()
        .zip([7u32, 6, 5, 4, 3, 2])
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    sum % 10 == u32::from(b[6] - b'0')
}

/// The spellings `party` is matched in, primary name first (see the module
/// documentation). Every term folds to a non-empty string with a letter or a
/// digit, and no two terms fold the same.
///
/// ```
/// use sanctions_check::watchlist::{Alias, Party, PartyKind, Quality};
/// use sanctions_check::watchlist::variants::name_variants;
///
/// let party = Party {
///     reference: "KPi.001".into(),
///     kind: PartyKind::Individual,
///     name: "YUN HO-JIN".into(),
///     name_parts: vec!["YUN".into(), "HO-JIN".into()],
///     aliases: vec![Alias { name: "Yun Ho-chin".into(), quality: Quality::Good }],
///     listed_on: None,
///     nationality: None,
///     imo: None,
/// };
/// let terms: Vec<String> = name_variants(&party).into_iter().map(|v| v.term).collect();
/// assert_eq!(
///     terms,
///     ["YUN HO-JIN", "Yun Hojin", "Ho-jin Yun", "Hojin Yun",
///      "Yun Ho-chin", "Yun Hochin", "Ho-chin Yun", "Hochin Yun"]
/// );
/// ```
pub fn name_variants(party: &Party) -> Vec<NameVariant> {
    let person = Person::new(party);
    let mut sources: Vec<(&str, Quality, bool)> = vec![(&party.name, Quality::Good, true)];
    for quality in [Quality::Good, Quality::Low] {
        sources.extend(
            party
                .aliases
                .iter()
                .filter(|a| a.quality == quality)
                .map(|a| (a.name.as_str(), quality, false)),
        );
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (alias, quality, primary) in sources {
        let terms = match party.kind {
            PartyKind::Individual => person.terms(alias, primary),
            PartyKind::Entity => entity_terms(alias),
            PartyKind::Vessel => vessel_terms(alias),
        };
        for (term, derived_word) in terms {
            let term = collapse(&term);
            let folded = fold_term(&term);
            if !folded.bytes().any(|b| b.is_ascii_alphanumeric()) || !seen.insert(folded.clone()) {
                continue;
            }
            out.push(NameVariant {
                needs_context: derived_word || needs_context(party.kind, &folded),
                term,
                alias: alias.to_owned(),
                quality,
                primary,
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Shared helpers

/// Apostrophes and their look-alikes used in McCune–Reischauer romanisation.
const APOSTROPHES: &[char] = &[
    '\'', '\u{2019}', '\u{2018}', '\u{02BC}', '\u{02BB}', '`', '\u{00B4}', '\u{2032}',
];

/// Quotes that may wrap a whole alias (`"KOMID"`).
const QUOTES: &[char] = &[
    '"', '\'', '\u{201C}', '\u{201D}', '\u{201E}', '\u{2018}', '\u{2019}', '\u{00AB}', '\u{00BB}',
];

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn without_apostrophes(s: &str) -> String {
    s.chars().filter(|c| !APOSTROPHES.contains(c)).collect()
}

/// Folded, without apostrophes, spaces or hyphens: a comparison key.
fn key(s: &str) -> String {
    fold_term(&without_apostrophes(s))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Whitespace collapsed, `*` (the engine's inflection marker) removed, and
/// quotes around the whole string dropped.
fn clean(s: &str) -> String {
    let s = collapse(&s.replace('*', " "));
    let mut chars = s.chars();
    match (chars.next(), chars.next_back()) {
        (Some(a), Some(b)) if QUOTES.contains(&a) && QUOTES.contains(&b) => {
            collapse(chars.as_str())
        }
        _ => s,
    }
}

/// Terms made from one spelling, each with whether it is a single word the
/// list never wrote alone (a name shortened to one word needs context).
type Terms = Vec<(String, bool)>;

/// Pushes `s` and, when it has apostrophes, `s` without them.
fn push_with_plain(out: &mut Terms, s: String, derived_word: bool) {
    let plain = without_apostrophes(&s);
    let differs = plain != s;
    out.push((s, derived_word));
    if differs {
        out.push((plain, derived_word));
    }
}

/// Lower-case with the first letter of every whitespace-separated word in
/// upper case: `CH'OE` → `Ch'oe`, `HO-JIN` → `Ho-jin`.
fn title(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let lower = w.to_lowercase();
            let mut out = String::with_capacity(lower.len());
            let mut done = false;
            for c in lower.chars() {
                if !done && c.is_alphabetic() {
                    out.extend(c.to_uppercase());
                    done = true;
                } else {
                    out.push(c);
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A parenthesised group of a name, classified.
enum Group {
    /// A cross-reference to another entry (`KPE.018`): dropped.
    Reference,
    /// An acronym (`DCB`) or a name in another script (`金铁三`): its own
    /// variant.
    Separate(String),
    /// Anything else (`HONG KONG`): kept inside the name or left out.
    Descriptive,
}

fn is_reference(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 5
        && b[..2].iter().all(u8::is_ascii_alphabetic)
        && matches!(b[2], b'i' | b'e' | b'I' | b'E')
        && b[3] == b'.'
        && b[4..].iter().all(u8::is_ascii_digit)
}

fn is_acronym(s: &str) -> bool {
    (2..=10).contains(&s.chars().count())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "&/.-".contains(c))
        && s.chars().any(|c| c.is_ascii_uppercase())
        && !s.chars().any(|c| c.is_ascii_lowercase())
}

fn is_latin(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_alphabetic())
}

fn non_latin_letters(s: &str) -> bool {
    s.chars().any(|c| c.is_alphabetic() && !c.is_ascii())
        && !s.chars().any(|c| c.is_ascii_alphabetic())
}

/// A name split around its parenthesised groups.
struct Parens {
    /// Groups removed.
    base: String,
    /// Brackets removed, descriptive content kept (when there is some).
    unwrapped: Option<String>,
    /// Whether a descriptive group sits inside the name (so the name as
    /// written, brackets and all, is worth matching).
    inner_group: bool,
    /// Acronyms and other-script names found in groups.
    separate: Vec<String>,
}

/// Joins two pieces with a space unless both sides are non-ASCII letters
/// (Chinese names run together: `華信船務(香港)有限公司`).
fn join_piece(out: &mut String, piece: &str) {
    let prev = out.chars().next_back();
    let next = piece.chars().next();
    match (prev, next) {
        (Some(p), Some(n)) if !p.is_ascii() && !n.is_ascii() && !p.is_whitespace() => {}
        (Some(_), Some(_)) => out.push(' '),
        _ => {}
    }
    out.push_str(piece.trim());
}

fn split_parens(s: &str) -> Parens {
    // Top-level groups; an unbalanced name is taken as it is.
    let mut pieces: Vec<(bool, &str)> = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => {
                if depth == 0 {
                    pieces.push((false, &s[start..i]));
                    start = i + 1;
                }
                depth += 1;
            }
            ')' => {
                if depth == 0 {
                    return Parens::plain(s);
                }
                depth -= 1;
                if depth == 0 {
                    pieces.push((true, &s[start..i]));
                    start = i + 1;
                }
            }
            _ => {}
        }
    }
    if depth != 0 || pieces.is_empty() {
        return Parens::plain(s);
    }
    pieces.push((false, &s[start..]));
    let latin_base = pieces.iter().any(|(group, text)| !group && is_latin(text));
    let last_group = pieces.iter().rposition(|(group, _)| *group);
    let trailing = |i: usize| {
        Some(i) == last_group && pieces[i + 1..].iter().all(|(_, t)| t.trim().is_empty())
    };
    let mut base = String::new();
    let mut unwrapped = String::new();
    let mut descriptive = false;
    let mut inner_group = false;
    let mut separate = Vec::new();
    for (i, (group, text)) in pieces.iter().enumerate() {
        let text = text.trim();
        if !group {
            join_piece(&mut base, text);
            join_piece(&mut unwrapped, text);
            continue;
        }
        let kind = if is_reference(text) {
            Group::Reference
        } else if is_acronym(text) || (latin_base && non_latin_letters(text)) {
            Group::Separate(text.to_owned())
        } else {
            Group::Descriptive
        };
        match kind {
            Group::Reference => {}
            Group::Separate(t) => separate.push(t),
            Group::Descriptive => {
                descriptive = true;
                inner_group |= !trailing(i);
                join_piece(&mut unwrapped, text);
            }
        }
    }
    Parens {
        base: collapse(&base),
        unwrapped: descriptive.then(|| collapse(&unwrapped)),
        inner_group,
        separate,
    }
}

impl Parens {
    fn plain(s: &str) -> Self {
        Parens {
            base: s.to_owned(),
            unwrapped: None,
            inner_group: false,
            separate: Vec::new(),
        }
    }
}

// ---------------------------------------------------------------------------
// Word lists

/// Function words ignored when judging whether a name is generic.
const STOPWORDS: &str = "\
    a an and at de del des du for in la le of on the to & no";

/// Legal-form words: stripped from the end of entity names.
const LEGAL_FORMS: &str = "\
    bhd co coltd company corp corporation gmbh inc incorporated j/v jv limited llc llp ltd plc \
    pte pty sa";

/// Words stripped after a legal form (`... General Trading Corporation`).
const QUALIFIERS: &str = "\
    general group trading";

/// Common English words, country and region words and romanised Korean
/// generic words: a name made only of these is not distinctive.
const GENERIC: &str = "\
    academy administration aerospace affairs agency agitation agricultural agriculture air \
    airline airlines alliance america american arab armed arms army art arts asia asian \
    associated association atomic aviation bank banking best big black blue board branch bright \
    building bureau business capital care cargo center central centre chemical chemicals china \
    chinese chosen choson chosun city coal college command commerce commercial commission \
    committee communications complex construction consulting cooperation cooperative corea \
    council credit crew cultural culture defence defense democratic department design \
    development digital direct division dprk dragon eagle east eastern economic economics \
    economy electric electrical electronics energy engineering enterprise enterprises equipment \
    europe european exchange export exports external factory far federation finance financial \
    first fish fisheries fishing floor food force forces foreign forest fortune foundation \
    fourth freedom freight friendship fund future gain garden gas general global glory gold \
    golden government great green group guidance harbor harbour health heaven heavy high hoesa \
    holding holdings home hong hongkong hope hotel house import imports industrial industries \
    industry information institute insurance intelligence internal international investment \
    iron island jindallae joint kaebal kong korea korean koreans kpa land leader liberty light \
    line lines logistics machine machinery machines main management marine maritime material \
    materials medical metal metals military mineral minerals mining ministry moon mooyok \
    mountain muyok national natural navigation network new north northern nuclear ocean office \
    oil operation organisation organization overseas pacific park partners party peace people \
    peoples petroleum pine plant port power pro products progress project projects propaganda \
    public railway reconnaissance red republic research resource resources river rocket royal \
    russia russian safety school science sciences scientific sea second security service \
    services ship shipping shpg silver singapore society solutions south southern space special \
    sports star state steel strategic studio sun supplies supply systems tanker technical \
    technologies technology third tool tools tourism trade trading transport travel trust \
    unhaeng union unit united university victory west western white workers works world yonhap";

/// Common romanisations of Korean family names, folded without apostrophes.
const KOREAN_SURNAMES: &str = "\
    ahn an bae baek bak bang byon byun cha chae chang cheon chi cho choe choi chon chong chu \
    chun chung chwe eom gang gim go gu ha han heo ho hong hwang hyon hyun im jang jeon jeong ji \
    jo jon jong joo ju kang kil kim ko koh koo ku kwak kwon kye lee li lim min moon mun na nam \
    no o oh om pae paek paik pak pang park pyon ra rhee ri rim ro roh ryang ryu shin sim sin so \
    sohn son song suh tak u woo yang yi yo yom yon yoo yoon yu yun";

/// The whitespace-separated words of a list, as a set built on first use.
type WordSet = std::sync::LazyLock<std::collections::HashSet<&'static str>>;

static GENERIC_WORDS: WordSet = WordSet::new(|| GENERIC.split_whitespace().collect());
static STOPWORD_SET: WordSet = WordSet::new(|| STOPWORDS.split_whitespace().collect());
static LEGAL_FORM_SET: WordSet = WordSet::new(|| LEGAL_FORMS.split_whitespace().collect());
static QUALIFIER_SET: WordSet = WordSet::new(|| QUALIFIERS.split_whitespace().collect());
static KOREAN_SURNAME_SET: WordSet = WordSet::new(|| KOREAN_SURNAMES.split_whitespace().collect());

fn is_generic(word: &str) -> bool {
    let w = without_apostrophes(word);
    GENERIC_WORDS.contains(w.as_str())
        || (w.ends_with('s') && GENERIC_WORDS.contains(&w[..w.len() - 1]))
}

fn legal_key(token: &str) -> String {
    token
        .chars()
        .filter(|c| *c != '.' && *c != ',')
        .flat_map(char::to_lowercase)
        .collect()
}

// ---------------------------------------------------------------------------
// Precision

fn needs_context(kind: PartyKind, folded: &str) -> bool {
    let words: Vec<&str> = folded
        .split(' ')
        .filter(|w| w.bytes().any(|b| b.is_ascii_alphanumeric()))
        .collect();
    let letters = folded.bytes().filter(u8::is_ascii_alphabetic).count();
    match kind {
        PartyKind::Vessel => true,
        PartyKind::Individual => words.len() <= 1 || letters <= 7,
        PartyKind::Entity => {
            if let [word] = words.as_slice() {
                return letters < 6 || is_generic(word);
            }
            let content: Vec<&str> = words
                .iter()
                .copied()
                .filter(|w| {
                    let k = legal_key(w);
                    !STOPWORD_SET.contains(k.as_str()) && !LEGAL_FORM_SET.contains(k.as_str())
                })
                .collect();
            content.len() <= 3
                && content
                    .iter()
                    .all(|w| is_generic(w) || !w.bytes().any(|b| b.is_ascii_alphabetic()))
        }
    }
}

// ---------------------------------------------------------------------------
// Entities

/// Whether a shortened entity name still stands on its own: two words or
/// more, or one word of 6 letters or more that is not a generic word.
fn distinctive(s: &str) -> bool {
    let folded = fold_term(s);
    let words: Vec<&str> = folded
        .split(' ')
        .filter(|w| w.bytes().any(|b| b.is_ascii_alphanumeric()))
        .collect();
    match words.as_slice() {
        [] => false,
        [word] => word.bytes().filter(u8::is_ascii_alphabetic).count() >= 6 && !is_generic(word),
        _ => true,
    }
}

/// `s` without its trailing legal-form words: `(legal forms only, with the
/// qualifiers before them too)`, or `None` when there is none.
fn strip_legal(s: &str) -> Option<(String, String)> {
    let tokens: Vec<&str> = s.split_whitespace().collect();
    let keys: Vec<String> = tokens.iter().map(|t| legal_key(t)).collect();
    let ends_with = |n: usize, tail: &[&str]| {
        n >= tail.len()
            && keys[n - tail.len()..n]
                .iter()
                .zip(tail)
                .all(|(k, t)| k == t)
    };
    let mut n = tokens.len();
    loop {
        if n == 0 {
            break;
        }
        if ends_with(n, &["group", "of", "companies"]) {
            n -= 3;
        } else if ends_with(n, &["joint", "venture"]) || ends_with(n, &["general", "bureau"]) {
            n -= 2;
        } else if LEGAL_FORM_SET.contains(keys[n - 1].as_str()) {
            n -= 1;
        } else {
            break;
        }
    }
    if n == tokens.len() || n == 0 {
        return None;
    }
    let legal_only = n;
    while n > 0
        && (QUALIFIER_SET.contains(keys[n - 1].as_str())
            || STOPWORD_SET.contains(keys[n - 1].as_str()))
    {
        n -= 1;
    }
    let join = |k: usize| {
        tokens[..k]
            .join(" ")
            .trim_end_matches([',', ' ', '&'])
            .to_owned()
    };
    Some((join(legal_only), join(n)))
}

/// `s` without a trailing "of Korea", "of the DPRK" and the like.
fn strip_country(s: &str) -> Option<String> {
    const TAILS: &[&[&str]] = &[
        &["of", "korea"],
        &["of", "the", "dprk"],
        &["of", "dprk"],
        &["of", "north", "korea"],
        &[
            "of",
            "the",
            "democratic",
            "people's",
            "republic",
            "of",
            "korea",
        ],
    ];
    let tokens: Vec<&str> = s.split_whitespace().collect();
    let folded: Vec<String> = tokens.iter().map(|t| fold_term(t)).collect();
    for tail in TAILS {
        let n = tokens.len();
        if n > tail.len()
            && folded[n - tail.len()..]
                .iter()
                .zip(*tail)
                .all(|(a, b)| a == b)
        {
            return Some(tokens[..n - tail.len()].join(" "));
        }
    }
    None
}

fn entity_forms(out: &mut Terms, name: &str) {
    let mut forms: Vec<String> = vec![name.to_owned()];
    if let Some(short) = strip_country(name).filter(|s| distinctive(s)) {
        forms.push(short);
    }
    for form in forms {
        let stripped = strip_legal(&form);
        push_with_plain(out, form, false);
        if let Some((legal_only, core)) = stripped {
            for s in [legal_only, core] {
                if distinctive(&s) {
                    let one_word = !s.trim().contains(char::is_whitespace);
                    push_with_plain(out, s, one_word);
                }
            }
        }
    }
}

fn entity_terms(alias: &str) -> Terms {
    let p = split_parens(&clean(alias));
    let mut out = Vec::new();
    if p.inner_group {
        push_with_plain(&mut out, clean(alias), false);
    }
    if let Some(u) = &p.unwrapped {
        entity_forms(&mut out, u);
    }
    entity_forms(&mut out, &p.base);
    out.extend(p.separate.into_iter().map(|t| (t, false)));
    out
}

// ---------------------------------------------------------------------------
// Vessels

fn vessel_terms(alias: &str) -> Terms {
    let name = clean(alias);
    let mut out = Vec::new();
    push_with_plain(&mut out, name.clone(), false);
    // `YU JONG 2` → `Yujong 2`: syllables joined, hull number kept.
    let plain = without_apostrophes(&name);
    let tokens: Vec<&str> = plain.split_whitespace().collect();
    let (words, number) = match tokens.split_last() {
        Some((last, rest)) if last.bytes().all(|b| b.is_ascii_digit()) => (rest, Some(*last)),
        _ => (tokens.as_slice(), None),
    };
    if (2..=3).contains(&words.len()) && words.iter().all(|w| syllable(w)) {
        let mut joined = title(&words.concat());
        if let Some(n) = number {
            joined.push(' ');
            joined.push_str(n);
        }
        out.push((joined, false));
    }
    out
}

// ---------------------------------------------------------------------------
// Persons

/// One Korean romanised syllable: 1 to 6 letters once folded, apostrophes
/// aside.
fn syllable(s: &str) -> bool {
    let k = key(s);
    (1..=6).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_lowercase())
}

fn syllables(given: &str) -> Vec<&str> {
    given.split([' ', '-']).filter(|s| !s.is_empty()).collect()
}

/// A person's name split into family and given names.
struct Split {
    family: String,
    given: String,
}

/// What is known of a person from the list.
struct Person {
    /// Korean-style name (family name then a syllabic given name).
    korean: bool,
    /// The family name from the name parts (key).
    family: Option<String>,
    /// The family and given names from the name parts (as written).
    parts: Option<(String, String)>,
    /// Keys of given names seen in the name and aliases.
    given_keys: HashSet<String>,
}

impl Person {
    fn new(party: &Party) -> Self {
        let mut person = Person {
            korean: false,
            family: None,
            parts: None,
            given_keys: HashSet::new(),
        };
        if party.kind != PartyKind::Individual || other_regime(&party.reference) {
            return person;
        }
        let parts: Vec<&str> = party
            .name_parts
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect();
        if let [family, given @ ..] = parts.as_slice()
            && !given.is_empty()
        {
            let given = given.join(" ");
            let n = syllables(&given).len();
            if !family.contains([' ', '-'])
                && syllable(family)
                && (1..=3).contains(&n)
                && syllables(&given).iter().all(|s| syllable(s))
            {
                person.korean = true;
                person.family = Some(key(family));
                person.given_keys.insert(key(&given));
                person.parts = Some(((*family).to_owned(), given));
            }
        } else if let Some(split) = person.split(&party.name) {
            person.korean = true;
            person.family = Some(key(&split.family));
            person.given_keys.insert(key(&split.given));
        }
        if person.korean {
            for a in &party.aliases {
                if let Some(split) = person.split(&clean(&a.name)) {
                    person.given_keys.insert(key(&split.given));
                }
            }
        }
        person
    }

    fn is_party_family(&self, token: &str) -> bool {
        self.family.as_deref() == Some(key(token).as_str())
    }

    /// Splits a name into family and given names when the order is clear:
    /// a hyphenated given name (`Ho-jin`), the party's family name, or a
    /// common Korean family name.
    fn split(&self, name: &str) -> Option<Split> {
        let tokens: Vec<&str> = name.split_whitespace().collect();
        if !(2..=3).contains(&tokens.len())
            || !tokens
                .iter()
                .all(|t| syllables(t).iter().all(|s| syllable(s)))
        {
            return None;
        }
        let hyphen = |t: &str| t.contains('-');
        let first_family = |family: &str, given: &[&str]| Split {
            family: family.to_owned(),
            given: given.join(" "),
        };
        let surname = |t: &str| !hyphen(t) && KOREAN_SURNAME_SET.contains(key(t).as_str());
        let last = tokens.len() - 1;
        if tokens.len() == 2 {
            let (a, b) = (tokens[0], tokens[1]);
            if hyphen(b) && !hyphen(a) {
                return Some(first_family(a, &[b]));
            }
            if hyphen(a) && !hyphen(b) {
                return Some(first_family(b, &[a]));
            }
            if hyphen(a) || hyphen(b) {
                return None;
            }
        } else if tokens.iter().any(|t| hyphen(t)) {
            return None;
        }
        if self.is_party_family(tokens[0]) {
            Some(first_family(tokens[0], &tokens[1..]))
        } else if self.is_party_family(tokens[last]) {
            Some(first_family(tokens[last], &tokens[..last]))
        } else if surname(tokens[0]) {
            Some(first_family(tokens[0], &tokens[1..]))
        } else if surname(tokens[last]) {
            Some(first_family(tokens[last], &tokens[..last]))
        } else {
            None
        }
    }

    /// Whether an alias is a given name (or a family name) on its own.
    fn name_alone(&self, alias: &str) -> bool {
        let single = !alias.contains(char::is_whitespace)
            && alias
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '-' || APOSTROPHES.contains(&c));
        single || self.given_keys.contains(&key(alias))
    }

    fn terms(&self, alias: &str, primary: bool) -> Terms {
        let p = split_parens(&clean(alias));
        let name = p.unwrapped.clone().unwrap_or_else(|| p.base.clone());
        let separate = p.separate.into_iter().map(|t| (t, false));
        let mut out = Vec::new();
        if !self.korean {
            push_with_plain(&mut out, name, false);
            out.extend(separate);
            return out;
        }
        if !primary && self.name_alone(&name) {
            return separate.collect();
        }
        let split = match (&self.parts, primary) {
            (Some((family, given)), true) => Some(Split {
                family: family.clone(),
                given: given.clone(),
            }),
            _ => self.split(&name),
        };
        let mut forms = vec![name.clone()];
        if let Some(Split { family, given }) = split {
            let family = title(&family);
            let spaced = title(&given);
            let syl = syllables(&given);
            let joined = (syl.len() >= 2).then(|| title(&syl.concat()));
            forms.push(format!("{family} {spaced}"));
            forms.extend(joined.iter().map(|j| format!("{family} {j}")));
            forms.push(format!("{spaced} {family}"));
            forms.extend(joined.iter().map(|j| format!("{j} {family}")));
        }
        let plain: Vec<String> = forms.iter().map(|f| without_apostrophes(f)).collect();
        out.extend(forms.into_iter().chain(plain).map(|t| (t, false)));
        out.extend(separate);
        out
    }
}

/// Whether a UN reference number belongs to another regime than the DPRK
/// (`QDi.001`), whose names do not follow Korean order.
fn other_regime(reference: &str) -> bool {
    let b = reference.trim().as_bytes();
    b.len() >= 4
        && b[..2].iter().all(u8::is_ascii_alphabetic)
        && matches!(b[2], b'i' | b'e')
        && b[3] == b'.'
        && !b[..2].eq_ignore_ascii_case(b"KP")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::watchlist::Alias;

    fn party(kind: PartyKind, name: &str, parts: &[&str], aliases: &[(&str, Quality)]) -> Party {
        Party {
            reference: "KPx.1".into(),
            kind,
            name: name.into(),
            name_parts: parts.iter().map(|s| (*s).to_owned()).collect(),
            aliases: aliases
                .iter()
                .map(|(n, q)| Alias {
                    name: (*n).to_owned(),
                    quality: *q,
                })
                .collect(),
            listed_on: None,
            nationality: None,
            imo: None,
        }
    }

    fn terms(p: &Party) -> Vec<String> {
        name_variants(p).into_iter().map(|v| v.term).collect()
    }

    #[test]
    fn generic_list_is_sorted_and_lower_case() {
        for list in [GENERIC, KOREAN_SURNAMES, LEGAL_FORMS, STOPWORDS, QUALIFIERS] {
            let words: Vec<&str> = list.split_whitespace().collect();
            assert!(words.iter().all(|w| w.to_lowercase() == *w));
            if list != STOPWORDS {
                let mut sorted = words.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, words);
            }
        }
    }

    #[test]
    fn imo_check_digits() {
        assert!(imo_check_digit_ok("9074729"));
        assert!(imo_check_digit_ok("8914934"));
        assert!(imo_check_digit_ok("9562233"));
        assert!(imo_check_digit_ok("8628597"));
        assert!(!imo_check_digit_ok("5434358"));
        assert!(!imo_check_digit_ok("907472"));
        assert!(!imo_check_digit_ok("90747290"));
        assert!(!imo_check_digit_ok("9O74729"));
        assert!(!imo_check_digit_ok("٩٠٧٤٧٢٩"));
        assert!(!imo_check_digit_ok(""));
    }

    #[test]
    fn parentheses() {
        let p = split_parens("DAEDONG CREDIT BANK (DCB)");
        assert_eq!(p.base, "DAEDONG CREDIT BANK");
        assert_eq!(p.separate, ["DCB"]);
        assert!(p.unwrapped.is_none());
        let p = split_parens("SECOND ACADEMY OF NATURAL SCIENCES (KPE.018)");
        assert_eq!(p.base, "SECOND ACADEMY OF NATURAL SCIENCES");
        assert!(p.separate.is_empty());
        let p = split_parens("LEADER (HONG KONG) INTERNATIONAL");
        assert_eq!(p.base, "LEADER INTERNATIONAL");
        assert_eq!(
            p.unwrapped.as_deref(),
            Some("LEADER HONG KONG INTERNATIONAL")
        );
        assert!(p.inner_group);
        let p = split_parens("華信船務(香港)有限公司");
        assert_eq!(p.base, "華信船務有限公司");
        assert_eq!(p.unwrapped.as_deref(), Some("華信船務香港有限公司"));
        let p = split_parens("Jin Tiesan (金铁三)");
        assert_eq!(p.base, "Jin Tiesan");
        assert_eq!(p.separate, ["金铁三"]);
        let p = split_parens("A (B");
        assert_eq!(p.base, "A (B");
        let p = split_parens("A) B (");
        assert_eq!(p.base, "A) B (");
    }

    #[test]
    fn legal_forms() {
        let core = |s: &str| strip_legal(s).map(|(_, c)| c);
        assert_eq!(
            core("KOREA DAESONG GENERAL TRADING CORPORATION").as_deref(),
            Some("KOREA DAESONG")
        );
        assert_eq!(
            strip_legal("KOREA DAESONG GENERAL TRADING CORPORATION")
                .map(|(l, _)| l)
                .as_deref(),
            Some("KOREA DAESONG GENERAL TRADING")
        );
        assert_eq!(
            core("KINGLY WON INTERNATIONAL CO., LTD").as_deref(),
            Some("KINGLY WON INTERNATIONAL")
        );
        assert_eq!(
            core("OCEAN MARITIME MANAGEMENT COMPANY, LIMITED").as_deref(),
            Some("OCEAN MARITIME MANAGEMENT")
        );
        assert_eq!(
            core("MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES").as_deref(),
            Some("MANSUDAE OVERSEAS PROJECT")
        );
        assert_eq!(
            core("RECONNAISSANCE GENERAL BUREAU").as_deref(),
            Some("RECONNAISSANCE")
        );
        assert_eq!(core("TANCHON COMMERCIAL BANK"), None);
        assert_eq!(core("CORPORATION"), None);
        assert!(!distinctive("RECONNAISSANCE"));
        assert!(!distinctive("KOTI"));
        assert!(distinctive("HESONG"));
        assert!(distinctive("KOREA KUMSAN"));
    }

    #[test]
    fn context_rules() {
        use PartyKind::*;
        assert!(needs_context(Entity, "komid"));
        assert!(needs_context(Entity, "jindallae"));
        assert!(!needs_context(Entity, "mooyokbank"));
        assert!(needs_context(Entity, "third floor"));
        assert!(needs_context(Entity, "office #39"));
        assert!(needs_context(Entity, "ministry of national defence"));
        assert!(needs_context(
            Entity,
            "ocean maritime management company, limited"
        ));
        assert!(!needs_context(Entity, "ministry of atomic energy industry"));
        assert!(!needs_context(Entity, "korea daesong bank"));
        assert!(!needs_context(Entity, "tanchon commercial bank"));
        assert!(needs_context(Individual, "kim kyu"));
        assert!(needs_context(Individual, "neil"));
        assert!(!needs_context(Individual, "kang ryong"));
        assert!(!needs_context(Individual, "yun ho jin"));
        assert!(needs_context(Vessel, "chon ma san"));
    }

    #[test]
    fn person_variants() {
        let p = party(
            PartyKind::Individual,
            "CH'OE SO’K MIN",
            &["CH'OE", "SO’K MIN"],
            &[("Choe Sok Min", Quality::Low), ("Sok-Min", Quality::Good)],
        );
        let v = name_variants(&p);
        let t: Vec<&str> = v.iter().map(|v| v.term.as_str()).collect();
        assert_eq!(
            t,
            [
                "CH'OE SO’K MIN",
                "Ch'oe So’kmin",
                "So’k Min Ch'oe",
                "So’kmin Ch'oe",
                "CHOE SOK MIN",
                "Choe Sokmin",
                "Sok Min Choe",
                "Sokmin Choe",
            ]
        );
        assert!(v.iter().all(|v| v.primary && v.quality == Quality::Good));
    }

    #[test]
    fn given_name_alone_is_never_emitted() {
        let p = party(
            PartyKind::Individual,
            "KIM YONG CHOL",
            &["KIM", "YONG CHOL"],
            &[
                ("Young-Chul", Quality::Good),
                ("Yong Chol", Quality::Good),
                ("Kim", Quality::Good),
                ("Kim Young-Cheol", Quality::Good),
            ],
        );
        let t = terms(&p);
        assert!(t.contains(&"Kim Youngcheol".to_owned()), "{t:?}");
        for bad in ["Young-Chul", "Yong Chol", "Kim", "Yongchol"] {
            assert!(
                !t.iter().any(|x| fold_term(x) == fold_term(bad)),
                "{bad}: {t:?}"
            );
        }
    }

    #[test]
    fn order_from_aliases() {
        let p = party(
            PartyKind::Individual,
            "HAN JANG SU",
            &["HAN", "JANG SU"],
            &[("Chang-Su Han", Quality::Good)],
        );
        let t = terms(&p);
        for want in [
            "Jang Su Han",
            "Jangsu Han",
            "Han Jangsu",
            "Han Chang-su",
            "Han Changsu",
        ] {
            assert!(
                t.iter().any(|x| fold_term(x) == fold_term(want)),
                "{want}: {t:?}"
            );
        }
        let p = party(
            PartyKind::Individual,
            "TSANG YUNG YUAN",
            &["TSANG", "YUNG YUAN"],
            &[
                ("Yun Yuan Tsang", Quality::Good),
                ("Neil Tsang", Quality::Good),
            ],
        );
        let t = terms(&p);
        assert!(t.contains(&"Tsang Yunyuan".to_owned()), "{t:?}");
        assert!(t.contains(&"Neil Tsang".to_owned()), "{t:?}");
        assert!(!t.iter().any(|x| x.starts_with("Yun Yuantsang")), "{t:?}");
    }

    #[test]
    fn other_regimes_keep_their_order() {
        let mut p = party(PartyKind::Individual, "SAID ALI", &["SAID", "ALI"], &[]);
        p.reference = "QDi.999".into();
        assert_eq!(terms(&p), ["SAID ALI"]);
    }

    #[test]
    fn entity_variants() {
        let p = party(
            PartyKind::Entity,
            "KOREA MINING DEVELOPMENT TRADING CORPORATION",
            &[],
            &[("\"KOMID\"", Quality::Good)],
        );
        let v = name_variants(&p);
        let t: Vec<(&str, bool)> = v
            .iter()
            .map(|v| (v.term.as_str(), v.needs_context))
            .collect();
        assert_eq!(
            t,
            [
                ("KOREA MINING DEVELOPMENT TRADING CORPORATION", false),
                ("KOREA MINING DEVELOPMENT TRADING", false),
                ("KOREA MINING DEVELOPMENT", true),
                ("KOMID", true),
            ]
        );
        let p = party(
            PartyKind::Entity,
            "CENTRAL MILITARY COMMISSION OF THE WORKERS’ PARTY OF KOREA (CMC)",
            &[],
            &[],
        );
        let t = terms(&p);
        assert_eq!(
            t,
            [
                "CENTRAL MILITARY COMMISSION OF THE WORKERS’ PARTY OF KOREA",
                "CENTRAL MILITARY COMMISSION OF THE WORKERS PARTY OF KOREA",
                "CENTRAL MILITARY COMMISSION OF THE WORKERS’ PARTY",
                "CENTRAL MILITARY COMMISSION OF THE WORKERS PARTY",
                "CMC",
            ]
        );
    }

    #[test]
    fn vessel_variants() {
        let p = party(
            PartyKind::Vessel,
            "YU JONG 2",
            &[],
            &[("KUM UN SAN 3", Quality::Low)],
        );
        let v = name_variants(&p);
        let t: Vec<&str> = v.iter().map(|v| v.term.as_str()).collect();
        assert_eq!(t, ["YU JONG 2", "Yujong 2", "KUM UN SAN 3", "Kumunsan 3"]);
        assert!(v.iter().all(|v| v.needs_context));
        assert_eq!(v[3].quality, Quality::Low);
    }

    #[test]
    fn nothing_empty() {
        for name in ["", "*", "()", "\"\"", "'", "-", "( )", "“”"] {
            for kind in [PartyKind::Individual, PartyKind::Entity, PartyKind::Vessel] {
                let p = party(kind, name, &[name, name], &[(name, Quality::Low)]);
                for v in name_variants(&p) {
                    assert!(!fold_term(&v.term).is_empty());
                }
            }
        }
    }
}
