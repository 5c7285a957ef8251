//! Woo value lists and normalisers.
//!
//! - [`CATEGORIES`] and [`category_by_any`]: the 17 information categories of art. 3.3 Woo (plus
//!   the art. 3.1 effort obligation) with their TOOI ids.
//! - [`GROUNDS`], [`ground_by_code`], [`normalise_ground`], [`wob_to_woo`]: the refusal grounds
//!   (weigeringsgronden) of the Woo, the Wob codes they replace, and one canonical code for every
//!   spelling found in decisions, inventories and stamps.
//! - [`find_ground_stamps`]: the grounds stamped or cited on one page of text.
//! - [`normalise_judgement`]: the judgement (beoordeling) of a document.
//!
//! The values come from `shared/DOMAIN.md` (law text BWBR0045754 and the TOOI value list
//! `scw_woo_informatiecategorieen`).

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// Base URI of the TOOI concepts; a category's full URI is this plus its [`Category::tooi`] id.
pub const TOOI_BASE_URI: &str = "https://identifier.overheid.nl/tooi/def/thes/kern/";

/// One information category of art. 3.3 Woo (or the art. 3.1 effort obligation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Category {
    /// Position in art. 3.3 Woo: `"1a"` … `"2l"`, or `"3.1"` for the art. 3.1 obligation.
    pub code: &'static str,
    /// TOOI concept id, e.g. `"c_3baef532"`; the URI is [`TOOI_BASE_URI`] plus this id.
    pub tooi: &'static str,
    /// Dutch label of the TOOI value list, e.g. `"Woo-verzoeken en -besluiten"`.
    pub label: &'static str,
}

/// The 17 information categories of art. 3.3 Woo, then art. 3.1 (`"3.1"`, `c_816e508d`).
pub const CATEGORIES: &[Category] = &[
    Category {
        code: "1a",
        tooi: "c_139c6280",
        label: "wetten en algemeen verbindende voorschriften",
    },
    Category {
        code: "1b",
        tooi: "c_aab6bfc7",
        label: "overige besluiten van algemene strekking",
    },
    Category {
        code: "1c",
        tooi: "c_759721e2",
        label: "ontwerpen van wet- en regelgeving met adviesaanvraag",
    },
    Category {
        code: "1d",
        tooi: "c_40a05794",
        label: "organisatie en werkwijze",
    },
    Category {
        code: "1e",
        tooi: "c_89ee6784",
        label: "bereikbaarheidsgegevens",
    },
    Category {
        code: "2a",
        tooi: "c_8c840238",
        label: "bij vertegenwoordigende organen ingekomen stukken",
    },
    Category {
        code: "2b",
        tooi: "c_c76862ab",
        label: "vergaderstukken Staten-Generaal",
    },
    Category {
        code: "2c",
        tooi: "c_db4862c3",
        label: "vergaderstukken decentrale overheden",
    },
    Category {
        code: "2d",
        tooi: "c_3a248e3a",
        label: "agenda's en besluitenlijsten bestuurscolleges",
    },
    Category {
        code: "2e",
        tooi: "c_99a836c7",
        label: "adviezen",
    },
    Category {
        code: "2f",
        tooi: "c_8fc2335c",
        label: "convenanten",
    },
    Category {
        code: "2g",
        tooi: "c_c6cd1213",
        label: "jaarplannen en jaarverslagen",
    },
    Category {
        code: "2h",
        tooi: "c_cf268088",
        label: "subsidieverplichtingen anders dan met beschikking",
    },
    Category {
        code: "2i",
        tooi: "c_3baef532",
        label: "Woo-verzoeken en -besluiten",
    },
    Category {
        code: "2j",
        tooi: "c_fdaee95e",
        label: "onderzoeksrapporten",
    },
    Category {
        code: "2k",
        tooi: "c_46a81018",
        label: "beschikkingen",
    },
    Category {
        code: "2l",
        tooi: "c_a870c43d",
        label: "klachtoordelen",
    },
    Category {
        code: "3.1",
        tooi: "c_816e508d",
        label: "inspanningsverplichting art. 3.1 Woo",
    },
];

/// Finds a category from any of its spellings: the code (`"2i"`, `"2 i"`, `"3.3.2i"`,
/// `"art. 3.3 lid 2 sub i"`, `"3.1"`), the TOOI id (`"c_3baef532"`), the full TOOI URI, or the
/// label (case- and diacritic-insensitive). `None` when nothing matches.
pub fn category_by_any(value: &str) -> Option<&'static Category> {
    // The index stores the code itself: found without folding (this runs for every result
    // and facet value shown).
    if let Some(category) = CATEGORIES.iter().find(|category| category.code == value) {
        return Some(category);
    }
    let folded = fold_for_matching(value);
    if folded.is_empty() {
        return None;
    }
    if let Some(position) = folded.rfind("c_") {
        let tooi_id = folded[position..].trim_end_matches(['/', ' ', '>', '"']);
        if let Some(category) = CATEGORIES.iter().find(|category| category.tooi == tooi_id) {
            return Some(category);
        }
    }
    if let Some(category) = CATEGORIES
        .iter()
        .find(|category| fold_for_matching(category.label) == folded)
    {
        return Some(category);
    }
    let compact_code = compact_category_code(&folded)?;
    CATEGORIES
        .iter()
        .find(|category| category.code.replace('.', "") == compact_code)
}

/// Turns a folded category reference such as `"art. 3.3 lid 2 sub i"` or `"3.3.2i"` into the
/// category code without dots (`"2i"`, or `"31"` for art. 3.1). `None` when it cannot be one.
fn compact_category_code(folded: &str) -> Option<String> {
    const NOISE_WORDS: &[&str] = &[
        "art",
        "art.",
        "artikel",
        "lid",
        "sub",
        "sub.",
        "onder",
        "aanhef",
        "en",
        "letter",
        "onderdeel",
        "woo",
        "van",
        "de",
        "categorie",
    ];
    let mut parts: Vec<String> = Vec::new();
    for word in folded.split(|character: char| character.is_whitespace() || character == ',') {
        let word = word.trim_matches(|character: char| "()[]:;".contains(character));
        if word.is_empty() || NOISE_WORDS.contains(&word) {
            continue;
        }
        let word = match word {
            "eerste" => "1",
            "tweede" => "2",
            other => other,
        };
        parts.push(word.trim_end_matches('.').to_string());
    }
    let joined = parts.join(".");
    if joined == "3.1" {
        return Some("31".to_string());
    }
    let without_article = joined.strip_prefix("3.3.").unwrap_or(&joined);
    let compact: String = without_article
        .chars()
        .filter(|character| *character != '.')
        .collect();
    if compact.len() != 2 {
        return None;
    }
    Some(compact)
}

/// Base URI of TOOI organisation ids (`gemeente/gm0363`, `ministerie/mnre1025`, ...).
pub const TOOI_ORGANISATION_URI: &str = "https://identifier.overheid.nl/tooi/id/";

/// The TOOI organisation list (municipalities, ministries, provinces, water boards, ZBOs, other
/// bodies): `kind/code<TAB>label` per line, made from the DiWoo 0.9.8 value-list XSD by
/// `data/make_tooi_organisations.py`.
const TOOI_ORGANISATIONS: &str = include_str!("../data/tooi-organisations.tsv");

/// The label of a TOOI organisation, given as its full URI
/// (`https://identifier.overheid.nl/tooi/id/gemeente/gm0363`), its path (`gemeente/gm0363`) or
/// its bare code (`gm0363`), with the first letter capitalised (`Gemeente Amsterdam`).
/// `None` for anything else, such as a plain name.
pub fn organisation_label(value: &str) -> Option<String> {
    let value = value.trim().trim_end_matches('/');
    if value.is_empty() || value.contains(char::is_whitespace) {
        return None;
    }
    let path = value.strip_prefix(TOOI_ORGANISATION_URI).unwrap_or(value);
    let path = path.to_lowercase();
    for line in TOOI_ORGANISATIONS.lines() {
        if line.starts_with('#') {
            continue;
        }
        let Some((key, label)) = line.split_once('\t') else {
            continue;
        };
        let code = key.rsplit('/').next().unwrap_or(key);
        if key == path || code == path {
            return Some(capitalise_first(label));
        }
    }
    None
}

/// A publisher as shown: a TOOI organisation reference becomes its label, anything else is kept
/// (trimmed).
pub fn normalise_publisher(value: &str) -> String {
    organisation_label(value).unwrap_or_else(|| value.trim().to_string())
}

fn capitalise_first(label: &str) -> String {
    let mut characters = label.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// One refusal ground (weigeringsgrond), by its canonical Woo code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ground {
    /// Canonical code: `"5.1.2e"`, `"5.1.5"`, `"5.2"`; `"10.2f"` for the Wob-only ground;
    /// `"dubbel"` for the inventories' pseudo-ground.
    pub code: &'static str,
    /// Dutch description of the interest protected, e.g. `"eerbiediging van de persoonlijke levenssfeer"`.
    pub label: &'static str,
    /// The code of the same ground under the Wob (`"10.2e"`, `"11.1"`), when it had one.
    pub wob_code: Option<&'static str>,
}

/// Every refusal ground of the Woo (art. 5.1, 5.2, 5.4), the Wob-only ground 10.2f and the
/// pseudo-ground `dubbel` (already assessed in another document).
pub const GROUNDS: &[Ground] = &[
    Ground {
        code: "5.1.1a",
        label: "eenheid van de Kroon",
        wob_code: Some("10.1a"),
    },
    Ground {
        code: "5.1.1b",
        label: "veiligheid van de Staat",
        wob_code: Some("10.1b"),
    },
    Ground {
        code: "5.1.1c",
        label: "vertrouwelijk verstrekte bedrijfs- en fabricagegegevens",
        wob_code: Some("10.1c"),
    },
    Ground {
        code: "5.1.1d",
        label: "bijzondere persoonsgegevens",
        wob_code: Some("10.1d"),
    },
    Ground {
        code: "5.1.1e",
        label: "nationale identificatienummers",
        wob_code: None,
    },
    Ground {
        code: "5.1.2a",
        label: "internationale betrekkingen",
        wob_code: Some("10.2a"),
    },
    Ground {
        code: "5.1.2b",
        label: "economische of financiële belangen van de Staat",
        wob_code: Some("10.2b"),
    },
    Ground {
        code: "5.1.2c",
        label: "opsporing en vervolging van strafbare feiten",
        wob_code: Some("10.2c"),
    },
    Ground {
        code: "5.1.2d",
        label: "inspectie, controle en toezicht door bestuursorganen",
        wob_code: Some("10.2d"),
    },
    Ground {
        code: "5.1.2e",
        label: "eerbiediging van de persoonlijke levenssfeer",
        wob_code: Some("10.2e"),
    },
    Ground {
        code: "5.1.2f",
        label: "concurrentiegevoelige bedrijfs- en fabricagegegevens",
        wob_code: None,
    },
    Ground {
        code: "5.1.2g",
        label: "bescherming van het milieu",
        wob_code: None,
    },
    Ground {
        code: "5.1.2h",
        label: "beveiliging van personen of bedrijven, voorkomen van sabotage",
        wob_code: None,
    },
    Ground {
        code: "5.1.2i",
        label: "goed functioneren van de staat of bestuursorganen",
        wob_code: None,
    },
    Ground {
        code: "5.1.5",
        label: "voorkomen van onevenredige benadeling",
        wob_code: Some("10.2g"),
    },
    Ground {
        code: "5.2",
        label: "persoonlijke beleidsopvattingen (intern beraad)",
        wob_code: Some("11.1"),
    },
    Ground {
        code: "5.4",
        label: "informatie bij de formateur",
        wob_code: None,
    },
    Ground {
        code: "10.2f",
        label: "belang van de geadresseerde om als eerste kennis te nemen van de informatie (Wob)",
        wob_code: Some("10.2f"),
    },
    Ground {
        code: "dubbel",
        label: "dubbel: al beoordeeld in een ander document",
        wob_code: None,
    },
];

/// Finds a ground by its canonical code (`"5.1.2e"`); any other spelling that
/// [`normalise_ground`] accepts (`"10.2.e"`, `"art. 11"`) is normalised first.
pub fn ground_by_code(code: &str) -> Option<&'static Ground> {
    if let Some(ground) = GROUNDS.iter().find(|ground| ground.code == code) {
        return Some(ground);
    }
    let canonical = normalise_ground(code)?;
    GROUNDS.iter().find(|ground| ground.code == canonical)
}

/// Maps a Wob ground code (`"10.2e"`, `"10.2.e"`, `"11.1"`, `"10.2g"`) to the Woo code of the
/// same ground (`"5.1.2e"`, `"5.2"`, `"5.1.5"`). `None` for the Wob-only `10.2f` and for
/// anything that is not a Wob code.
pub fn wob_to_woo(wob_code: &str) -> Option<&'static str> {
    let compact: String = wob_code
        .trim()
        .to_lowercase()
        .chars()
        .filter(|character| !character.is_whitespace() && *character != '(' && *character != ')')
        .collect();
    let compact = compact.strip_prefix("art.").unwrap_or(&compact);
    let (article_and_lid, letter) = match compact.char_indices().last() {
        Some((index, character)) if character.is_ascii_alphabetic() => {
            (compact[..index].trim_end_matches('.'), Some(character))
        }
        _ => (compact, None),
    };
    let wob_form = match letter {
        Some(letter) => format!("{article_and_lid}{letter}"),
        None => article_and_lid.to_string(),
    };
    let ground = GROUNDS
        .iter()
        .find(|ground| ground.wob_code == Some(wob_form.as_str()))?;
    if ground.code == "10.2f" {
        return None;
    }
    Some(ground.code)
}

/// Label for the ground facet: `"5.1.2e eerbiediging van de persoonlijke levenssfeer"`.
/// Any spelling [`normalise_ground`] accepts is normalised first; unknown codes come back as given.
pub fn ground_facet_label(code: &str) -> String {
    match ground_by_code(code.trim()) {
        Some(ground) => format!("{} {}", ground.code, ground.label),
        None => code.trim().to_string(),
    }
}

/// Normalises ONE ground reference in any spelling to its canonical Woo code: `"5.1.2.e"`,
/// `"5.1 lid 2 sub e"`, `"5.1, tweede lid, aanhef en onder e"`, `"artikel 5.1 lid 2 onder e Woo"`,
/// `"10.2.e"`, `"10, tweede lid, onder e"`, `"art. 10 lid 2 sub e Wob"` all give `"5.1.2e"`;
/// `"art. 11"`, `"11.1"`, `"artikel 11, eerste lid"` give `"5.2"`; `"dubbel"` gives `"dubbel"`.
/// `None` for anything that is not exactly one ground (a bare `"11"` or `"5.1"` is not).
pub fn normalise_ground(value: &str) -> Option<String> {
    let cleaned = value
        .trim()
        .trim_matches(|character: char| "()[]{}'\"‘’“”".contains(character))
        .trim_end_matches(['.', ',', ';', ':'])
        .trim();
    if cleaned.eq_ignore_ascii_case("dubbel") {
        return Some("dubbel".to_string());
    }
    let captures = GROUND_PATTERN.captures(cleaned)?;
    if captures.get(0)?.start() != 0 {
        return None;
    }
    let reading = read_ground_captures(cleaned, &captures)?;
    let rest = cleaned.get(reading.end..)?;
    if !LAW_SUFFIX_ONLY.is_match(rest) {
        return None;
    }
    let has_prefix = captures.name("prefix").is_some();
    let names_woo_or_wob = !rest.trim().is_empty();
    if reading.form == GroundForm::BareArticleEleven && !has_prefix && !names_woo_or_wob {
        return None;
    }
    Some(reading.code.to_string())
}

/// Normalises a judgement (beoordeling) to one of `"openbaar"`, `"deels openbaar"`,
/// `"reeds openbaar"`, `"niet openbaar"`: `"Deels Openbaar"`, `"gedeeltelijk openbaar"`,
/// `"Geweigerd"` and the like. `None` when the value is not a judgement.
pub fn normalise_judgement(value: &str) -> Option<&'static str> {
    let folded = fold_for_matching(value);
    let words: Vec<&str> = folded
        .split(|character: char| !character.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    let has_word = |wanted: &str| words.contains(&wanted);
    let has_word_starting = |prefix: &str| words.iter().any(|word| word.starts_with(prefix));
    if words.is_empty() {
        return None;
    }
    if has_word("reeds") || has_word("eerder") || (has_word("al") && has_word("openbaar")) {
        return Some("reeds openbaar");
    }
    if has_word("deels") || has_word("gedeeltelijk") || has_word("gedeeltelijke") {
        return Some("deels openbaar");
    }
    if has_word("niet") || has_word_starting("geweigerd") || has_word_starting("weiger") {
        return Some("niet openbaar");
    }
    if has_word_starting("openbaar") {
        return Some("openbaar");
    }
    None
}

/// Every refusal-ground stamp or citation in one page's text, normalised to canonical codes, in
/// order of appearance, one entry per occurrence (three `5.1.2e` stamps give three entries).
///
/// Codes with a letter (`5.1.2e`, `5.1.2.e`, `5.1.2 e`, `10.2.e`, `5.1.1c`, `art. 10 lid 2 sub e`,
/// `5.1, tweede lid, aanhef en onder e`) count wherever they stand, unless a section word
/// (`paragraaf`, `hoofdstuk`, `§`, `tabel`, `figuur`) precedes them or another law (AVG, Awb, …)
/// follows. Codes without a letter (`5.2`, `5.2.1`, `5.1.5`, `5.4`, `11.1`, `art. 11`) look like
/// section numbers, so they count only when marked as a ground (`art.`/`artikel` before them,
/// `grond`/`codering`/`Woo`/`Wob` around them), when listed with other grounds
/// (`10.2e; 11.1`), or when they end a line on a page that carries other grounds.
pub fn find_ground_stamps(page_text: &str) -> Vec<String> {
    accepted_ground_candidates(page_text)
        .into_iter()
        .map(|candidate| candidate.code.to_string())
        .collect()
}

/// The grounds [`find_ground_stamps`] reports, with their byte ranges in the page text.
fn accepted_ground_candidates(page_text: &str) -> Vec<GroundCandidate> {
    let mut candidates = collect_ground_candidates(page_text);
    accept_weak_candidates_listed_with_grounds(page_text, &mut candidates);
    let page_has_grounds = candidates.iter().any(|candidate| candidate.accepted);
    accept_weak_candidates_ending_a_line(page_text, page_has_grounds, &mut candidates);
    accept_weak_candidates_listed_with_grounds(page_text, &mut candidates);
    candidates.retain(|candidate| candidate.accepted);
    candidates
}

/// Any spelling of one ground, with optional `art.`/`artikel` before it. Alternatives, in order:
/// the legal form (`5.1, tweede lid, aanhef en onder e`, `10 lid 2 sub e`, `11, eerste lid`),
/// the dotted Woo form (`5.1.2e`, `5.1.2.e`, `5.1.2 e`, `5.1(2)(e)`, OCR `5.l.2e`, `5,1,2,E`),
/// the dotted Wob form (`10.2e`, `10.2.e`, `10.2 e`, `10(2)(e)`), the letterless codes that
/// look like section numbers (`5.2`, `5.2.1`, `5.1.5`, `5.4`, `11.1`) and a bare `11`.
static GROUND_PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        (?P<prefix> art (?:ikel(?:en)?)? \.? \s* )?
        (?:
            (?P<long_article> 5[.,]\s?[12] | 10 | 11 ) \s* ,? \s*
            (?P<long_lid>
                (?: lid | ld\.? ) \s* (?P<long_lid_digit> [1-9] )
              | (?P<long_lid_word> eerste | tweede | vijfde | 1e | 2e | 5e | 1ste | 2de | 5de ) \s+ lid
            )
            (?:
                \s* ,? \s*
                (?: (?: aanhef \s* ,? \s* en \s+ )? (?: onder | sub\.? | letter | onderdeel ) \s* )?
                \(? (?P<long_letter> [a-z] ) \)?
            )?
          | 5 [.,] \s? [1lI|] (?: [.,]\s? | \s?\( ) (?P<woo_lid> [12] ) \)?
            (?: [.,]\s{0,2} | \s{1,2} )? \(? (?P<woo_letter> [a-i] ) \)?
          | 1[0oO] (?: \. | \s?\( ) (?P<wob_lid> [12] ) \)?
            (?: [.,]\s{0,2} | \s{1,2} )? \(? (?P<wob_letter> [a-g] ) \)?
          | (?P<letterless> 5\.2 (?: \.[12] )? | 5\.1\.5 | 5\.4 | 11[.,]1 )
          | (?P<bare_eleven> 11 )
        )",
    )
    .expect("ground pattern is valid")
});

/// A letter added to the code just before it: the `, e` of `10.2.a, e` or the `en e` of
/// `aanhef en onder c en e`.
static EXTRA_LETTER_PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:,|en\s|&|/|\+)\s*\(?(?P<letter>[a-z])\)?")
        .expect("extra letter pattern is valid")
});

/// What may follow a code that [`normalise_ground`] reads as one value: nothing, or the law's name.
static LAW_SUFFIX_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[\s,]*(?:\(?(?:van\s+de\s+)?(?:woo|wob|wet\s+open\s+overheid|wet\s+openbaarheid\s+van\s+bestuur)\)?)?[\s.,;:)]*$",
    )
    .expect("law suffix pattern is valid")
});

/// Text just before a letterless code that marks it as a ground (`weigeringsgrond 5.2`,
/// `codering '11.1'`, `Wob 11.1`).
static GROUND_MARKER_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:grond|gronden|codering|code|woo|wob|aangeduid\s+met|aanduiding|inventarislijst)\W{0,4}$")
        .expect("ground marker pattern is valid")
});

/// Text just after a letterless code that marks it as a ground (`5.2 Woo`, `11.1 van de Wob`).
static GROUND_MARKER_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s,(]{0,3}(?:van\s+de\s+)?(?:woo\b|wob\b|wet\s+open)")
        .expect("ground marker pattern is valid")
});

/// Words before a number that make it a section, table or figure number, not a ground.
static SECTION_WORD_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:paragraaf|par\.?|hoofdstuk|§|sectie|tabel|figuur|fig\.?)\s*$")
        .expect("section word pattern is valid")
});

/// Words or signs before a letterless code that make it a number of another kind (an amount, a
/// document, page or version number, a cross-reference).
static OTHER_NUMBER_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:€|\b(?:eur|euro|bijlage|nummers?|nr\.?|volgnummers?|documenten|document|pagina|blz\.?|p\.|stap|punt|zie|in|uit|conform|volgens|naar|tot|bedraagt|circa|ca\.))\s*$",
    )
    .expect("other number pattern is valid")
});

/// Words after a letterless code that make it an amount or quantity (`5.2 miljoen`, `11.1 %`).
static QUANTITY_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:%|procent|miljoen|mln|miljard|mld|uur|km|kg|m2|euro|jaar|dagen|maanden|keer|x\b)",
    )
    .expect("quantity pattern is valid")
});

/// Names of other laws after an article number: `artikel 11, tweede lid, AVG` is not the Wob.
static OTHER_LAW_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[\s,]*(?:van\s+(?:de|het)\s+|van\s+)?(?:avg|uavg|awb|algemene|grondwet|archiefwet|gemeentewet|provinciewet|waterschapswet|omgevingswet|wbp|evrm|handvest|verdrag|verordening|richtlijn|besluit\b|reglement|regeling|wet\s+(?:[a-z]+\s+)?(?:bescherming|politie|justiti|basisregistratie))",
    )
    .expect("other law pattern is valid")
});

/// A mention of the Wob on the page: `artikel 11` there is the Wob's article on policy opinions.
static WOB_MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bwob\b|openbaarheid\s+van\s+bestuur").expect("wob mention pattern is valid")
});

/// Paragraphs after `artikel 11` that the Wob's article 11 does not have (`aanhef en derde lid`).
static OTHER_PARAGRAPH_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*,?\s*(?:aanhef|(?:derde|vierde|zesde|zevende|achtste)\s+lid|lid\s*[3-9])")
        .expect("other paragraph pattern is valid")
});

/// Text ending in a full stop, question or exclamation mark and spaces: a stamp put after a sentence.
static SENTENCE_END_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[.!?][ \t]+$").expect("sentence end pattern is valid"));

/// Separators allowed between two codes of one list: `10.2e; 11.1`, `10.2.e en 11.1`, `5.1.2e / 5.2`.
static LIST_SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s,;/+&()\[\]:|*-]*(?:(?:en|of)[\s,;/+&()\[\]:|*-]+)?$")
        .expect("list separator pattern is valid")
});

/// How a ground was written, which decides how much context it needs to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GroundForm {
    /// A code with its letter (`5.1.2e`, `10.2.e`, `artikel 10, tweede lid, onder e`): counts alone.
    WithLetter,
    /// The legal form with a paragraph but no letter (`artikel 11, eerste lid`, `5.1, vijfde lid`).
    LegalWithoutLetter,
    /// A letterless dotted code (`5.2`, `5.2.1`, `5.1.5`, `5.4`, `11.1`): looks like a section number.
    Letterless,
    /// A bare `11`: a ground only as `art. 11`.
    BareArticleEleven,
}

/// The ground one regex match stands for.
struct GroundReading {
    code: &'static str,
    form: GroundForm,
    /// Article and paragraph, for letters added after the code (`10.2.a, e`).
    article: Article,
    lid: u8,
    /// Byte offset in the haystack where the ground ends (before an unused letter-like word).
    end: usize,
}

/// The article a code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Article {
    /// Art. 5.1 Woo (absolute and relative grounds, paragraphs 1, 2 and 5).
    WooFivePointOne,
    /// Art. 5.2 Woo (personal policy opinions).
    WooFivePointTwo,
    /// Art. 5.4 Woo (information at the formateur).
    WooFivePointFour,
    /// Art. 10 Wob.
    WobTen,
    /// Art. 11 Wob (personal policy opinions).
    WobEleven,
}

/// One ground found in a page, before the context rules decided whether it counts.
struct GroundCandidate {
    start: usize,
    end: usize,
    code: &'static str,
    strong: bool,
    accepted: bool,
}

/// The canonical code of a ground given by article, paragraph (lid) and letter.
fn canonical_code(article: Article, lid: u8, letter: Option<char>) -> Option<&'static str> {
    let letter = letter.map(|letter| letter.to_ascii_lowercase());
    match (article, letter) {
        (Article::WooFivePointOne, Some(letter)) if lid == 1 || lid == 2 => {
            let wanted = format!("5.1.{lid}{letter}");
            GROUNDS
                .iter()
                .find(|ground| ground.code == wanted)
                .map(|ground| ground.code)
        }
        (Article::WooFivePointOne, None) if lid == 5 => Some("5.1.5"),
        (Article::WooFivePointTwo, None) if lid == 1 || lid == 2 => Some("5.2"),
        (Article::WooFivePointFour, None) => Some("5.4"),
        (Article::WobTen, Some(letter)) if lid == 1 || lid == 2 => {
            let wanted = format!("10.{lid}{letter}");
            GROUNDS
                .iter()
                .find(|ground| ground.wob_code == Some(wanted.as_str()))
                .map(|ground| ground.code)
        }
        (Article::WobEleven, None) if lid == 1 || lid == 2 => Some("5.2"),
        _ => None,
    }
}

/// Reads the ground of one match of [`GROUND_PATTERN`] in `haystack`; `None` when the numbers
/// name no ground (`5.1.1f`, `10.1e`, `artikel 5.1, tweede lid` without a letter).
fn read_ground_captures(haystack: &str, captures: &Captures) -> Option<GroundReading> {
    let whole = captures.get(0)?;
    if let Some(article_text) = captures.name("long_article") {
        let article_digits: String = article_text
            .as_str()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let article = match article_digits.as_str() {
            "51" => Article::WooFivePointOne,
            "52" => Article::WooFivePointTwo,
            "10" => Article::WobTen,
            "11" => Article::WobEleven,
            _ => return None,
        };
        let lid = match (
            captures.name("long_lid_digit"),
            captures.name("long_lid_word"),
        ) {
            (Some(digit), _) => digit.as_str().parse::<u8>().ok()?,
            (None, Some(word)) => lid_number_from_word(word.as_str())?,
            (None, None) => return None,
        };
        let lid_end = captures.name("long_lid")?.end();
        let letter = captures
            .name("long_letter")
            .filter(|letter| letter_stands_alone(haystack, letter.end()));
        return match letter {
            Some(letter) => {
                read_legal_form(article, lid, letter.as_str().chars().next(), whole.end())
            }
            None => read_legal_form(article, lid, None, lid_end),
        };
    }
    if let (Some(lid), Some(letter)) = (captures.name("woo_lid"), captures.name("woo_letter")) {
        let lid = lid.as_str().parse::<u8>().ok()?;
        let code = canonical_code(
            Article::WooFivePointOne,
            lid,
            letter.as_str().chars().next(),
        )?;
        let article = Article::WooFivePointOne;
        return Some(GroundReading {
            code,
            form: GroundForm::WithLetter,
            article,
            lid,
            end: whole.end(),
        });
    }
    if let (Some(lid), Some(letter)) = (captures.name("wob_lid"), captures.name("wob_letter")) {
        let lid = lid.as_str().parse::<u8>().ok()?;
        let code = canonical_code(Article::WobTen, lid, letter.as_str().chars().next())?;
        let article = Article::WobTen;
        return Some(GroundReading {
            code,
            form: GroundForm::WithLetter,
            article,
            lid,
            end: whole.end(),
        });
    }
    if let Some(letterless) = captures.name("letterless") {
        let (article, lid) = match letterless.as_str() {
            "5.2" | "5.2.1" => (Article::WooFivePointTwo, 1),
            "5.2.2" => (Article::WooFivePointTwo, 2),
            "5.1.5" => (Article::WooFivePointOne, 5),
            "5.4" => (Article::WooFivePointFour, 0),
            "11.1" | "11,1" => (Article::WobEleven, 1),
            _ => return None,
        };
        let code = canonical_code(article, lid, None)?;
        return Some(GroundReading {
            code,
            form: GroundForm::Letterless,
            article,
            lid,
            end: whole.end(),
        });
    }
    if captures.name("bare_eleven").is_some() {
        let article = Article::WobEleven;
        let form = GroundForm::BareArticleEleven;
        return Some(GroundReading {
            code: "5.2",
            form,
            article,
            lid: 1,
            end: whole.end(),
        });
    }
    None
}

/// The ground of a legal-form citation (`artikel 10, tweede lid, aanhef en onder e`) ending at `end`.
fn read_legal_form(
    article: Article,
    lid: u8,
    letter: Option<char>,
    end: usize,
) -> Option<GroundReading> {
    let takes_letter = matches!(article, Article::WooFivePointOne | Article::WobTen) && lid != 5;
    if takes_letter {
        let code = canonical_code(article, lid, Some(letter?))?;
        return Some(GroundReading {
            code,
            form: GroundForm::WithLetter,
            article,
            lid,
            end,
        });
    }
    let code = canonical_code(article, lid, None)?;
    Some(GroundReading {
        code,
        form: GroundForm::LegalWithoutLetter,
        article,
        lid,
        end,
    })
}

/// The paragraph number of `eerste`, `tweede`, `vijfde`, `1e`, `2de` … lid.
fn lid_number_from_word(word: &str) -> Option<u8> {
    match word.to_lowercase().as_str() {
        "eerste" | "1e" | "1ste" => Some(1),
        "tweede" | "2e" | "2de" => Some(2),
        "vijfde" | "5e" | "5de" => Some(5),
        _ => None,
    }
}

/// True when the letter that ends at byte `letter_end` of `text` is a letter on its own: not
/// the start of a word (`en`, `e-mail`, `aanhef`) nor of `e.v.`.
fn letter_stands_alone(text: &str, letter_end: usize) -> bool {
    let mut characters = text.get(letter_end..).unwrap_or("").chars();
    match (characters.next(), characters.next()) {
        (Some(character), _) if character.is_alphabetic() => false,
        (Some('-'), Some(next)) if next.is_alphabetic() => false,
        (Some('.'), Some('v' | 'V')) => false,
        _ => true,
    }
}

/// Every match of [`GROUND_PATTERN`] that reads as a ground and passes the boundary, section-word
/// and other-law checks, with codes that carry a letter already accepted.
fn collect_ground_candidates(page_text: &str) -> Vec<GroundCandidate> {
    let mut candidates = Vec::new();
    let page_mentions_wob = WOB_MENTION.is_match(page_text);
    for captures in GROUND_PATTERN.captures_iter(page_text) {
        let Some(whole) = captures.get(0) else {
            continue;
        };
        let Some(reading) = read_ground_captures(page_text, &captures) else {
            continue;
        };
        let prefix = captures.name("prefix");
        let prefix_is_a_word = prefix.is_some_and(|prefix| {
            !previous_char(page_text, prefix.start()).is_some_and(char::is_alphabetic)
        });
        let number_start = prefix.map_or(whole.start(), |prefix| prefix.end());
        if is_glued_to_number(page_text, number_start) {
            continue;
        }
        let start = if prefix_is_a_word {
            whole.start()
        } else {
            number_start
        };
        let before = text_before(page_text, start, 40);
        let after = page_text.get(reading.end..).unwrap_or("");
        let after_window = text_after(page_text, reading.end, 60);
        if SECTION_WORD_BEFORE.is_match(before) || OTHER_LAW_AFTER.is_match(after_window) {
            continue;
        }
        if reading.form == GroundForm::WithLetter {
            if !letter_stands_alone(page_text, reading.end) {
                continue;
            }
        } else if number_continues(after) || QUANTITY_AFTER.is_match(after_window) {
            continue;
        }
        let marked = prefix_is_a_word
            || GROUND_MARKER_BEFORE.is_match(before)
            || GROUND_MARKER_AFTER.is_match(after_window);
        let strong = match reading.form {
            GroundForm::WithLetter => true,
            GroundForm::LegalWithoutLetter => marked,
            GroundForm::Letterless => marked && !OTHER_NUMBER_BEFORE.is_match(before),
            GroundForm::BareArticleEleven => prefix_is_a_word,
        };
        if reading.form == GroundForm::BareArticleEleven && !strong {
            continue;
        }
        let is_eleven_without_code = reading.article == Article::WobEleven
            && matches!(
                reading.form,
                GroundForm::BareArticleEleven | GroundForm::LegalWithoutLetter
            );
        let eleven_of_the_wob = (page_mentions_wob || GROUND_MARKER_AFTER.is_match(after_window))
            && !OTHER_PARAGRAPH_AFTER.is_match(after_window);
        if is_eleven_without_code && !eleven_of_the_wob {
            continue;
        }
        if reading.form == GroundForm::Letterless
            && !strong
            && is_section_heading_like(page_text, start, before)
        {
            continue;
        }
        let end = reading.end;
        candidates.push(GroundCandidate {
            start,
            end,
            code: reading.code,
            strong,
            accepted: strong,
        });
        if reading.form == GroundForm::WithLetter {
            push_extra_letters(page_text, end, &reading, &mut candidates);
        }
    }
    candidates
}

/// Adds the grounds of letters listed after a code: `10.2.a, e` gives `5.1.2a` and `5.1.2e`.
fn push_extra_letters(
    page_text: &str,
    mut position: usize,
    reading: &GroundReading,
    candidates: &mut Vec<GroundCandidate>,
) {
    loop {
        let rest = page_text.get(position..).unwrap_or("");
        let Some(captures) = EXTRA_LETTER_PATTERN.captures(rest) else {
            return;
        };
        let (Some(whole), Some(letter)) = (captures.get(0), captures.name("letter")) else {
            return;
        };
        if !letter_stands_alone(rest, whole.end()) {
            return;
        }
        let Some(code) =
            canonical_code(reading.article, reading.lid, letter.as_str().chars().next())
        else {
            return;
        };
        candidates.push(GroundCandidate {
            start: position + letter.start(),
            end: position + whole.end(),
            code,
            strong: true,
            accepted: true,
        });
        position += whole.end();
    }
}

/// True when a letterless code is the start of a heading or numbered line (`5.2 Conclusie`):
/// it opens its line and a word follows it (not `en`/`of` of a list, nor a `:` of a label).
fn is_section_heading_like(page_text: &str, start: usize, before: &str) -> bool {
    let line_before = before.rsplit('\n').next().unwrap_or("");
    if !line_before.trim().is_empty() {
        return false;
    }
    let line = page_text
        .get(start..)
        .unwrap_or("")
        .split('\n')
        .next()
        .unwrap_or("");
    let after_code = line.trim_start_matches(|character: char| {
        character.is_ascii_digit() || character == '.' || character == ','
    });
    if after_code.starts_with(':') {
        return false;
    }
    let next_word = after_code.split_whitespace().next().unwrap_or("");
    let letters = next_word
        .chars()
        .filter(|character| character.is_alphabetic())
        .count();
    letters >= 3 && !GROUND_MARKER_AFTER.is_match(after_code)
}

/// Accepts letterless codes listed next to accepted grounds (`10.2e; 11.1`, `11.1 en 10.2.g`),
/// repeating until no more are accepted.
fn accept_weak_candidates_listed_with_grounds(page_text: &str, candidates: &mut [GroundCandidate]) {
    loop {
        let mut changed = false;
        for index in 0..candidates.len() {
            if candidates[index].accepted {
                continue;
            }
            let listed_after_previous = index > 0
                && candidates[index - 1].accepted
                && is_list_separator(
                    page_text,
                    candidates[index - 1].end,
                    candidates[index].start,
                );
            let listed_before_next = index + 1 < candidates.len()
                && candidates[index + 1].accepted
                && is_list_separator(
                    page_text,
                    candidates[index].end,
                    candidates[index + 1].start,
                );
            if listed_after_previous || listed_before_next {
                candidates[index].accepted = true;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

/// Accepts letterless codes that end a line (a stamp beside a black box, an inventory cell) on a
/// page already known to carry grounds, or right after a sentence (`… de toeslagen. 11.1`),
/// unless a cross-reference or amount word precedes them.
fn accept_weak_candidates_ending_a_line(
    page_text: &str,
    page_has_grounds: bool,
    candidates: &mut [GroundCandidate],
) {
    for candidate in candidates.iter_mut() {
        if candidate.accepted || candidate.strong {
            continue;
        }
        let rest_of_line = page_text
            .get(candidate.end..)
            .unwrap_or("")
            .split('\n')
            .next()
            .unwrap_or("");
        let ends_line = rest_of_line
            .chars()
            .all(|character| character.is_whitespace() || ".,;:)]*".contains(character));
        let before = text_before(page_text, candidate.start, 40);
        let after_sentence = SENTENCE_END_BEFORE.is_match(before);
        if ends_line
            && (page_has_grounds || after_sentence)
            && !OTHER_NUMBER_BEFORE.is_match(before)
        {
            candidate.accepted = true;
        }
    }
}

/// True when the text between two codes only separates items of a list.
fn is_list_separator(page_text: &str, from: usize, to: usize) -> bool {
    if to < from || to - from > 12 {
        return false;
    }
    page_text
        .get(from..to)
        .is_some_and(|between| LIST_SEPARATOR.is_match(between))
}

/// True when the number goes on after the match (`5.2.3`, `11.1.2021`, `5.21`, `11,5`).
fn number_continues(after: &str) -> bool {
    let mut characters = after.chars();
    match (characters.next(), characters.next()) {
        (Some(character), _) if character.is_ascii_digit() || character.is_alphabetic() => true,
        (Some('.' | ','), Some(next)) if next.is_ascii_digit() => true,
        _ => false,
    }
}

/// True when the code at byte `number_start` continues a number (`15.1.2e`, `1.11.1`, `4:10`).
fn is_glued_to_number(page_text: &str, number_start: usize) -> bool {
    let before = page_text.get(..number_start).unwrap_or("");
    let mut characters = before.chars().rev();
    match (characters.next(), characters.next()) {
        (Some(character), _)
            if character.is_ascii_digit() || character == '.' || character == ',' =>
        {
            true
        }
        (Some(':'), Some(digit)) if digit.is_ascii_digit() => true,
        _ => false,
    }
}

/// The character just before byte `position`.
fn previous_char(text: &str, position: usize) -> Option<char> {
    text.get(..position)?.chars().next_back()
}

/// Up to `max_bytes` of text ending at byte `position`, cut at a character boundary.
fn text_before(text: &str, position: usize, max_bytes: usize) -> &str {
    let mut start = position.saturating_sub(max_bytes);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    text.get(start..position).unwrap_or("")
}

/// Up to `max_bytes` of text starting at byte `position`, cut at a character boundary.
fn text_after(text: &str, position: usize, max_bytes: usize) -> &str {
    let mut end = (position + max_bytes).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(position..end).unwrap_or("")
}

/// Lowercase, diacritics removed, whitespace collapsed: the form labels are compared in.
fn fold_for_matching(value: &str) -> String {
    let mut folded = String::with_capacity(value.len());
    for character in value.trim().chars().flat_map(char::to_lowercase) {
        let plain = match character {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            'ç' => 'c',
            'ñ' => 'n',
            '’' | '‘' => '\'',
            '–' | '—' => '-',
            other => other,
        };
        if plain.is_whitespace() {
            if !folded.ends_with(' ') {
                folded.push(' ');
            }
            continue;
        }
        folded.push(plain);
    }
    folded
}

/// Information category of complaint judgements.
pub const COMPLAINT_CATEGORY: &str = "2l";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tooi_organisation_codes_map_to_labels() {
        let expected = Some("Ministerie van Volksgezondheid, Welzijn en Sport".to_string());
        assert_eq!(
            organisation_label("https://identifier.overheid.nl/tooi/id/ministerie/mnre1025"),
            expected
        );
        assert_eq!(organisation_label("ministerie/mnre1025"), expected);
        assert_eq!(organisation_label("mnre1025"), expected);
        assert_eq!(
            organisation_label("gm0363").as_deref(),
            Some("Gemeente Amsterdam")
        );
        assert_eq!(organisation_label("Gemeente Utrecht"), None);
        assert_eq!(organisation_label("gm9999"), None);
        assert_eq!(
            normalise_publisher(" Gemeente Utrecht "),
            "Gemeente Utrecht"
        );
        assert_eq!(normalise_publisher("pv27"), "Provincie Noord-Holland");
    }
    use proptest::prelude::*;

    fn stamps(text: &str) -> Vec<String> {
        find_ground_stamps(text)
    }

    #[test]
    fn categories_are_the_seventeen_of_article_3_3_plus_3_1() {
        assert_eq!(CATEGORIES.len(), 18);
        assert_eq!(
            CATEGORIES.last().map(|category| category.tooi),
            Some("c_816e508d")
        );
    }

    #[test]
    fn category_by_any_reads_every_spelling() {
        let woo_requests = [
            "2i",
            "2 i",
            "3.3.2i",
            "art. 3.3 lid 2 sub i",
            "artikel 3.3, tweede lid, onder i",
            "c_3baef532",
            "https://identifier.overheid.nl/tooi/def/thes/kern/c_3baef532",
            "Woo-verzoeken en -besluiten",
            "woo-verzoeken en -BESLUITEN",
        ];
        for spelling in woo_requests {
            assert_eq!(
                category_by_any(spelling).map(|category| category.code),
                Some("2i"),
                "{spelling}"
            );
        }
        assert_eq!(
            category_by_any("art. 3.1").map(|category| category.code),
            Some("3.1")
        );
        assert_eq!(
            category_by_any("3.1").map(|category| category.code),
            Some("3.1")
        );
        assert_eq!(
            category_by_any("klachtoordelen").map(|category| category.code),
            Some("2l")
        );
        assert_eq!(
            category_by_any("agenda’s en besluitenlijsten bestuurscolleges")
                .map(|category| category.code),
            Some("2d")
        );
        assert_eq!(
            category_by_any("Overige besluiten van algemene strekking")
                .map(|category| category.code),
            Some("1b")
        );
        for nonsense in ["", "2z", "c_00000000", "3.3", "hallo"] {
            assert_eq!(category_by_any(nonsense), None, "{nonsense}");
        }
    }

    #[test]
    fn every_category_is_found_by_code_tooi_uri_and_label() {
        for category in CATEGORIES {
            let uri = format!("{TOOI_BASE_URI}{}", category.tooi);
            for spelling in [category.code, category.tooi, uri.as_str(), category.label] {
                assert_eq!(category_by_any(spelling), Some(category), "{spelling}");
            }
            let upper_label = category.label.to_uppercase();
            assert_eq!(
                category_by_any(&upper_label),
                Some(category),
                "{upper_label}"
            );
        }
    }

    #[test]
    fn grounds_table_covers_domain_list() {
        let codes: Vec<&str> = GROUNDS.iter().map(|ground| ground.code).collect();
        for code in [
            "5.1.1a", "5.1.1e", "5.1.2a", "5.1.2i", "5.1.5", "5.2", "5.4", "10.2f", "dubbel",
        ] {
            assert!(codes.contains(&code), "{code}");
        }
        assert_eq!(GROUNDS.len(), 19);
        assert_eq!(
            ground_by_code("5.1.2e").and_then(|ground| ground.wob_code),
            Some("10.2e")
        );
        assert_eq!(
            ground_by_code("10.2.e").map(|ground| ground.code),
            Some("5.1.2e")
        );
        assert_eq!(ground_by_code("5.9"), None);
    }

    #[test]
    fn normalise_ground_reads_every_spelling() {
        let table = [
            ("5.1.2e", "5.1.2e"),
            ("5.1.2.e", "5.1.2e"),
            ("5.1.2 e", "5.1.2e"),
            ("5.1.2.E", "5.1.2e"),
            ("5.1.2(e)", "5.1.2e"),
            ("5.1 lid 2 sub e", "5.1.2e"),
            ("5.1, tweede lid, aanhef en onder e", "5.1.2e"),
            ("artikel 5.1 lid 2 onder e Woo", "5.1.2e"),
            ("Art. 5.1.2e Woo", "5.1.2e"),
            ("10.2.e", "5.1.2e"),
            ("10.2e", "5.1.2e"),
            ("10.2 e", "5.1.2e"),
            ("10, tweede lid, onder e", "5.1.2e"),
            ("art. 10 lid 2 sub e Wob", "5.1.2e"),
            (
                "artikel 10, tweede lid, aanhef en onder e, van de Wob",
                "5.1.2e",
            ),
            ("art. 11", "5.2"),
            ("11.1", "5.2"),
            ("artikel 11, eerste lid", "5.2"),
            ("11 Wob", "5.2"),
            ("5.2", "5.2"),
            ("5.2.1", "5.2"),
            ("artikel 5.2, eerste lid, van de Woo", "5.2"),
            ("5.1.1c", "5.1.1c"),
            ("5.1.1.c", "5.1.1c"),
            ("10.1.c", "5.1.1c"),
            ("artikel 10, eerste lid, onder c", "5.1.1c"),
            ("10.2g", "5.1.5"),
            ("10.2.g", "5.1.5"),
            ("5.1.5", "5.1.5"),
            ("artikel 5.1, vijfde lid", "5.1.5"),
            ("5.4", "5.4"),
            ("10.2f", "10.2f"),
            ("10.2.f Wob", "10.2f"),
            ("dubbel", "dubbel"),
            ("Dubbel", "dubbel"),
            (" (5.1.2e) ", "5.1.2e"),
            ("5.l.2e", "5.1.2e"),
            ("5,1,2,E", "5.1.2e"),
        ];
        for (spelling, expected) in table {
            assert_eq!(
                normalise_ground(spelling).as_deref(),
                Some(expected),
                "{spelling}"
            );
        }
    }

    #[test]
    fn normalise_ground_refuses_what_is_not_one_ground() {
        for value in [
            "",
            "11",
            "5.1",
            "5.1.1",
            "10",
            "10.2",
            "5.1.2",
            "5.1.2z",
            "5.1.1f",
            "10.1e",
            "5.3",
            "artikel 5.1 van de Woo",
            "10.2.2021",
            "5.2 miljoen",
            "openbaar",
            "5.1.2e en 5.2",
            "artikel 11 AVG",
            "5.1.2en",
        ] {
            assert_eq!(normalise_ground(value), None, "{value}");
        }
    }

    #[test]
    fn wob_to_woo_maps_wob_codes() {
        assert_eq!(wob_to_woo("10.2e"), Some("5.1.2e"));
        assert_eq!(wob_to_woo("10.2.e"), Some("5.1.2e"));
        assert_eq!(wob_to_woo("11.1"), Some("5.2"));
        assert_eq!(wob_to_woo("10.2g"), Some("5.1.5"));
        assert_eq!(wob_to_woo("10.1a"), Some("5.1.1a"));
        assert_eq!(wob_to_woo("10.2f"), None);
        assert_eq!(wob_to_woo("5.1.2e"), None);
        assert_eq!(wob_to_woo("10.3a"), None);
    }

    #[test]
    fn judgements_normalise_to_four_values() {
        let table = [
            ("Openbaar", "openbaar"),
            ("geheel openbaar", "openbaar"),
            ("deels openbaar", "deels openbaar"),
            ("Deels Openbaar", "deels openbaar"),
            ("gedeeltelijk openbaar", "deels openbaar"),
            ("reeds openbaar", "reeds openbaar"),
            ("Reeds openbaar: https://example.nl", "reeds openbaar"),
            ("niet openbaar", "niet openbaar"),
            ("Geweigerd", "niet openbaar"),
        ];
        for (value, expected) in table {
            assert_eq!(normalise_judgement(value), Some(expected), "{value}");
        }
        assert_eq!(normalise_judgement(""), None);
        assert_eq!(normalise_judgement("buiten reikwijdte"), None);
    }

    #[test]
    fn facet_label_joins_code_and_label() {
        assert_eq!(
            ground_facet_label("5.1.2e"),
            "5.1.2e eerbiediging van de persoonlijke levenssfeer"
        );
        assert_eq!(
            ground_facet_label("10.2.e"),
            "5.1.2e eerbiediging van de persoonlijke levenssfeer"
        );
        assert_eq!(ground_facet_label("onbekend"), "onbekend");
    }

    #[test]
    fn stamps_in_redacted_text_are_found() {
        assert_eq!(
            stamps("Telefoonnummer +3123art. 10.2.e\nart. 10.2.e @noord-holland.nl"),
            ["5.1.2e", "5.1.2e"]
        );
        assert_eq!(stamps("5.1.2e5.1.2e"), ["5.1.2e", "5.1.2e"]);
        assert_eq!(
            stamps("Aan: 5.1.2e 5.1.2e 5.1.2e"),
            ["5.1.2e", "5.1.2e", "5.1.2e"]
        );
        assert_eq!(
            stamps("pachtprijs bedraagt 10.2b 10.2g per jaar"),
            ["5.1.2b", "5.1.5"]
        );
        assert_eq!(stamps("tussen de € 10.2b en 10.2g"), ["5.1.2b", "5.1.5"]);
        assert_eq!(
            stamps("OCR 5.1.2.e, en 5.l.2e en 5.1.1c"),
            ["5.1.2e", "5.1.2e", "5.1.1c"]
        );
        assert_eq!(stamps("10.2.a, e"), ["5.1.2a", "5.1.2e"]);
        assert_eq!(
            stamps("[GELAKT: 5.1.2e] en [GELAKT: 5.1.2.e] en [GELAKT: 4.1.4]"),
            ["5.1.2e", "5.1.2e"]
        );
        assert_eq!(stamps("10.2.e; 11.1; 10.2.b"), ["5.1.2e", "5.2", "5.1.2b"]);
        assert_eq!(stamps("11.1 en 10.2.g"), ["5.2", "5.1.5"]);
        assert_eq!(stamps("de toeslagen. 11.1\nverder"), ["5.2"]);
        assert_eq!(
            stamps("naam 5.1.2e\ntekst\n5.2\nmeer tekst"),
            ["5.1.2e", "5.2"]
        );
        assert_eq!(stamps("Artikel 10 lid 2 sub\ne"), ["5.1.2e"]);
    }

    #[test]
    fn ground_citations_in_decision_letters_count() {
        assert_eq!(stamps("op grond van art. 5.1 lid 2 sub e Woo"), ["5.1.2e"]);
        assert_eq!(
            stamps("Op grond van artikel 10, tweede lid, aanhef en onder e, van de Wob blijft"),
            ["5.1.2e"]
        );
        assert_eq!(
            stamps("artikel 10, tweede lid, onder b en g van de Wet openbaarheid van bestuur"),
            ["5.1.2b", "5.1.5"]
        );
        assert_eq!(stamps("intern beraad (artikel 5.2 van de Woo)"), ["5.2"]);
        assert_eq!(
            stamps("Artikel 11, eerste lid, van de Wob bepaalt"),
            ["5.2"]
        );
        assert_eq!(stamps("aangeduid met de codering ’11.1’."), ["5.2"]);
        assert_eq!(stamps("geweigerd op grond van art. 11 Wob"), ["5.2"]);
        assert_eq!(
            stamps("Dit wordt aangeduid met: 5.1.2i, 5.2.1: concept."),
            ["5.1.2i", "5.2"]
        );
    }

    #[test]
    fn numbers_that_are_not_grounds_are_ignored() {
        for text in [
            "5.2 Conclusie\nHet onderzoek laat zien",
            "zie paragraaf 5.1 en paragraaf 5.2",
            "hoofdstuk 5.1.2e",
            "Datum: 10.2.2021",
            "een bedrag van 5.1 miljoen",
            "€ 10,2 miljoen",
            "versie 5.1.5 van de software",
            "bel 06 10.2 11.1",
            "5.1\n5.2\n5.3\n5.4\n5.5",
            "documenten 5.1, 5.2, 7.1, 7.2",
            "artikel 11, tweede lid, AVG",
            "artikel 11, aanhef en derde lid",
            "Art. 4:10 lid 1 sub a BW",
            "15.1.2e",
            "5.1.2 en 5.1.3",
            "zie 10.2 e.v.",
            "artikel 5.1 van de Woo",
            "Artikel 11\nMet de opsporing van overtredingen",
            "10.2 e-mail",
        ] {
            assert_eq!(stamps(text), Vec::<String>::new(), "{text}");
        }
    }

    /// Spellings of one ground as they occur in documents; each must normalise back to the code.
    fn spellings_of(ground: &Ground) -> Vec<String> {
        let mut spellings = vec![ground.code.to_string()];
        let ordinal = |lid: char| if lid == '1' { "eerste" } else { "tweede" };
        if let Some(rest) = ground.code.strip_prefix("5.1.") {
            let mut characters = rest.chars();
            if let (Some(lid), Some(letter)) = (characters.next(), characters.next()) {
                spellings.extend([
                    format!("5.1.{lid}.{letter}"),
                    format!("5.1.{lid} {letter}"),
                    format!("5.1.{lid}.{}", letter.to_ascii_uppercase()),
                    format!("5.1 lid {lid} sub {letter}"),
                    format!("5.1, {} lid, aanhef en onder {letter}", ordinal(lid)),
                    format!("artikel 5.1 lid {lid} onder {letter} Woo"),
                    format!("art. 5.1.{lid}{letter}"),
                ]);
            }
        }
        if let Some(wob) = ground.wob_code.and_then(|wob| wob.strip_prefix("10.")) {
            let mut characters = wob.chars();
            if let (Some(lid), Some(letter)) = (characters.next(), characters.next()) {
                spellings.extend([
                    format!("10.{lid}{letter}"),
                    format!("10.{lid}.{letter}"),
                    format!("10.{lid} {letter}"),
                    format!("10, {} lid, onder {letter}", ordinal(lid)),
                    format!("art. 10 lid {lid} sub {letter} Wob"),
                ]);
            }
        }
        if ground.code == "5.2" {
            spellings.extend(
                [
                    "11.1",
                    "art. 11",
                    "artikel 11, eerste lid",
                    "5.2.1",
                    "artikel 5.2",
                ]
                .map(String::from),
            );
        }
        spellings
    }

    #[test]
    fn every_spelling_of_every_ground_normalises_to_its_code() {
        for ground in GROUNDS {
            for spelling in spellings_of(ground) {
                assert_eq!(
                    normalise_ground(&spelling).as_deref(),
                    Some(ground.code),
                    "{spelling}"
                );
                if ground.code != "dubbel" && !needs_context(&spelling) {
                    assert_eq!(
                        stamps(&format!("tekst {spelling}\n")),
                        [ground.code],
                        "{spelling}"
                    );
                }
            }
        }
    }

    /// Spellings that count only with context (a list, another stamp on the page, a Wob mention).
    fn needs_context(spelling: &str) -> bool {
        matches!(
            spelling,
            "5.2" | "5.2.1" | "11.1" | "5.1.5" | "5.4" | "art. 11" | "artikel 11, eerste lid"
        )
    }

    fn any_ground() -> impl Strategy<Value = &'static Ground> {
        prop::sample::select(GROUNDS.to_vec()).prop_map(|ground| {
            GROUNDS
                .iter()
                .find(|candidate| candidate.code == ground.code)
                .expect("ground from the table")
        })
    }

    const FILLER_WORDS: &[&str] = &[
        "de",
        "minister",
        "heeft",
        "op",
        "10.2.2021",
        "besloten",
        "paragraaf 5.1",
        "€ 10,2",
        "5.1 miljoen",
        "versie 2.3",
        "pagina 11",
        "2011",
        "e-mail",
        "Aan:",
        "Van:",
        "zonneweide",
        "hoofdstuk 5.2",
        "tel. 06-12345678",
        "(zie bijlage)",
        "openbaar",
    ];

    proptest! {
        #[test]
        fn spellings_normalise_whatever_the_case_and_padding(
            ground in any_ground(),
            variant in 0usize..16,
            upper_mask in any::<u64>(),
            padding in "[ \t]{0,3}",
        ) {
            let spellings = spellings_of(ground);
            let spelling = &spellings[variant % spellings.len()];
            let mangled: String = spelling
                .chars()
                .enumerate()
                .map(|(index, character)| if upper_mask >> (index % 64) & 1 == 1 { character.to_ascii_uppercase() } else { character })
                .collect();
            let padded = format!("{padding}{mangled}{padding}");
            let normalised = normalise_ground(&padded);
            prop_assert_eq!(normalised.as_deref(), Some(ground.code));
        }

        #[test]
        fn normalising_is_idempotent(value in "\\PC{0,40}") {
            if let Some(code) = normalise_ground(&value) {
                prop_assert_eq!(normalise_ground(&code), Some(code.clone()));
            }
        }

        #[test]
        fn codes_like_strings_normalise_idempotently(value in "(art\\. |artikel )?(5|10|11)[.,]?[0-9]?[., ]?[0-9a-k]?( Woo| Wob)?") {
            if let Some(code) = normalise_ground(&value) {
                prop_assert_eq!(normalise_ground(&code), Some(code.clone()));
                prop_assert!(ground_by_code(&code).is_some());
            }
        }

        #[test]
        fn stamps_among_filler_are_found_exactly_in_order(
            pieces in prop::collection::vec(
                prop_oneof![
                    prop::sample::select(FILLER_WORDS.to_vec()).prop_map(|word| (word.to_string(), None)),
                    (any_ground(), 0usize..16).prop_filter_map("stamp spellings", |(ground, variant)| {
                        if ground.code == "dubbel" {
                            return None;
                        }
                        let spellings: Vec<String> = spellings_of(ground)
                            .into_iter()
                            .filter(|spelling| !needs_context(spelling))
                            .collect();
                        let spelling = spellings.get(variant % spellings.len().max(1))?.clone();
                        Some((spelling, Some(ground.code)))
                    }),
                ],
                0..30,
            ),
            separators in prop::collection::vec(prop::sample::select(vec![" ", "\n", "  ", " \n"]), 30),
        ) {
            let mut text = String::new();
            let mut expected = Vec::new();
            for (index, (piece, code)) in pieces.iter().enumerate() {
                text.push_str(piece);
                text.push_str(separators[index % separators.len()]);
                if let Some(code) = code {
                    expected.push(code.to_string());
                }
            }
            prop_assert_eq!(find_ground_stamps(&text), expected, "text: {:?}", text);
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
            let _ = find_ground_stamps(&text);
            let _ = normalise_ground(&text);
            let _ = category_by_any(&text);
            let _ = normalise_judgement(&text);
            let _ = wob_to_woo(&text);
            let _ = ground_facet_label(&text);
        }

        #[test]
        fn code_like_text_never_panics(text in "[0-9.,:;()élid ubsonderWwobart\n€-]{0,80}") {
            for code in find_ground_stamps(&text) {
                prop_assert!(ground_by_code(&code).is_some());
            }
        }
    }

    /// Runs `pdftotext` on a PDF, one string per page; `None` when the tool is missing or fails.
    fn pdftotext_pages(path: &std::path::Path) -> Option<Vec<String>> {
        let output = std::process::Command::new("pdftotext")
            .arg(path)
            .arg("-")
            .output()
            .ok()?;
        if !output.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        Some(text.split('\u{c}').map(str::to_string).collect())
    }

    #[test]
    fn redacted_woofairify_pages_carry_5_1_2e() {
        let directory = std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/corpus/woofairify/documenten"
        ));
        if !directory.is_dir() {
            eprintln!("skipped: corpus not found at {}", directory.display());
            return;
        }
        let memo = directory.join("1. Memo BO verslag gesprek 20210324.pdf");
        let Some(pages) = pdftotext_pages(&memo) else {
            eprintln!("skipped: pdftotext is not available");
            return;
        };
        let first_page = find_ground_stamps(&pages[0]);
        assert!(first_page.len() >= 6, "{first_page:?}");
        assert!(
            first_page.iter().all(|code| code == "5.1.2e"),
            "{first_page:?}"
        );

        let amounts = directory.join("1. Memo GS juni 2021 definitief tbv bestuurders.pdf");
        let amount_grounds: Vec<String> = pdftotext_pages(&amounts)
            .unwrap_or_default()
            .iter()
            .flat_map(|page| find_ground_stamps(page))
            .collect();
        assert!(
            amount_grounds.contains(&"5.1.2b".to_string()),
            "{amount_grounds:?}"
        );
        assert!(
            amount_grounds.contains(&"5.1.5".to_string()),
            "{amount_grounds:?}"
        );

        let mut redacted_pages = 0;
        for entry in std::fs::read_dir(directory).expect("corpus directory is readable") {
            let path = entry.expect("directory entry").path();
            for page in pdftotext_pages(&path).unwrap_or_default() {
                let grounds = find_ground_stamps(&page);
                if page.contains("10.2.e") {
                    redacted_pages += 1;
                    assert!(
                        grounds.contains(&"5.1.2e".to_string()),
                        "{}: {grounds:?}",
                        path.display()
                    );
                }
                for code in &grounds {
                    assert!(
                        ["5.1.2e", "5.1.2b", "5.1.5"].contains(&code.as_str()),
                        "{}: {code}",
                        path.display()
                    );
                }
            }
        }
        assert!(redacted_pages >= 8, "only {redacted_pages} redacted pages");
    }

    #[test]
    fn report_on_unredacted_corpus_text_finds_no_grounds() {
        let path = std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/corpus/coronamelder/Bijlage B - Advies Autoriteit Persoonsgegevens.pdf"
        ));
        if !path.is_file() {
            eprintln!("skipped: corpus not found at {}", path.display());
            return;
        }
        let Some(pages) = pdftotext_pages(path) else {
            eprintln!("skipped: pdftotext is not available");
            return;
        };
        let grounds: Vec<String> = pages
            .iter()
            .flat_map(|page| find_ground_stamps(page))
            .collect();
        assert!(grounds.is_empty(), "{grounds:?}");
    }

    /// Prints every ground found in the corpus text dumps with its context (calibration aid):
    /// `cargo test -p woo-core woo::tests::corpus_report -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn corpus_report() {
        let Ok(directory) = std::env::var("WOO_CAL_DIR") else {
            return;
        };
        let mut paths: Vec<_> = std::fs::read_dir(directory)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for (page_index, page) in text.split('\u{c}').enumerate() {
                let mut candidates = collect_ground_candidates(page);
                let accepted = accepted_ground_candidates(page);
                for candidate in &mut candidates {
                    candidate.accepted = accepted.iter().any(|other| {
                        other.start == candidate.start && other.code == candidate.code
                    });
                }
                for candidate in candidates {
                    let context_before = text_before(page, candidate.start, 30).replace('\n', "⏎");
                    let context_after = text_after(page, candidate.end, 30).replace('\n', "⏎");
                    let matched = page
                        .get(candidate.start..candidate.end)
                        .unwrap_or("")
                        .replace('\n', "⏎");
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}[{}]{}",
                        if candidate.accepted { "ACC" } else { "rej" },
                        path.file_name()
                            .unwrap()
                            .to_string_lossy()
                            .chars()
                            .take(60)
                            .collect::<String>(),
                        page_index + 1,
                        candidate.start,
                        candidate.code,
                        context_before,
                        matched,
                        context_after
                    );
                }
            }
        }
    }
}
