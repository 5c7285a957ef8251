//! Complaint judgements read from their own letters and reports (klachtoordelen in PDF or any
//! other document format): the body that judged, the dates received and judged, the theme,
//! and each complaint part with its outcome and the norms of proper conduct it cites.
//!
//! [`read_complaint_letter`] is called for documents of category `2l` and for documents whose
//! text reads as a complaint judgement ([`looks_like_complaint_judgement`]); everything comes
//! from the page text, so OCR'd letters work too:
//! - body: the letterhead (a line naming a kind of body: `Gemeente`, `Ministerie van`, …, or
//!   else the first short line), else the signature (`Het college van burgemeester en
//!   wethouders van Ede` -> `Gemeente Ede`);
//! - date judged: the letter's own date (as for decision letters: a `Datum` label, a
//!   `Plaats, 15 maart 2024` line, else the first date outside sentences about earlier letters);
//! - date received: a receipt label, else the date beside a receipt word (`ontvangen`,
//!   `ingediend`, `binnengekomen`) in a sentence about the complaint;
//! - parts: sections headed `Klachtonderdeel 1`, `Onderdeel a`, `Klacht 2` or numbered items
//!   that state a complaint; without such headings the letter is one part;
//! - outcome of a part: its last outcome statement (`gegrond`, `deels gegrond`, `ongegrond`,
//!   `niet-ontvankelijk`, `niet in behandeling`, `informeel afgehandeld`), skipping
//!   conditional sentences and sentences about objections and appeals;
//! - norms: [`woo_core::complaints::find_norms`] over the part's text;
//! - theme: the `Onderwerp`/`Betreft` line without its formula (`Beslissing op uw klacht
//!   over …`), else the first part's subject.

use std::sync::LazyLock;

use regex::Regex;

use crate::decision::{collapse, find_dates, find_decision_date, split_sentences};
use woo_core::complaints::{find_norms, overall_outcome};
use woo_core::model::{ComplaintPart, Page};

/// Pages read: a judgement states its facts in its first pages.
const LETTER_PAGES: usize = 6;
/// Lines of the first page searched for the letterhead.
const LETTERHEAD_LINES: usize = 12;

/// What a complaint judgement says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComplaintLetterFacts {
    /// The body that judged, as the letter names it.
    pub body: Option<String>,
    /// Date received, `YYYY-MM-DD`.
    pub received_date: Option<String>,
    /// Date judged (the letter's date), `YYYY-MM-DD`.
    pub judged_date: Option<String>,
    /// The theme of the complaint.
    pub subject: Option<String>,
    /// The parts, in the letter's order (at least one).
    pub parts: Vec<ComplaintPart>,
    /// The outcome of the whole ([`overall_outcome`] of the parts).
    pub outcome: Option<String>,
    /// Every norm cited, in the list's order.
    pub norms: Vec<String>,
}

/// Words (lowercase) of a text about a complaint judgement.
const JUDGEMENT_CUES: &[&str] = &[
    "klachtoordeel",
    "uw klacht",
    "de klacht",
    "klachtonderdeel",
    "klachtbehandeling",
    "klachtencommissie",
    "klaagt over",
    "klaagt erover",
    "hoofdstuk 9 van de algemene wet bestuursrecht",
    "hoofdstuk 9 awb",
    "nationale ombudsman",
];

/// Whether a text reads as a complaint judgement: it speaks of a complaint and states an
/// outcome.
pub fn looks_like_complaint_judgement(pages: &[Page]) -> bool {
    let text = letter_text(pages);
    let lowered = collapse(&text);
    JUDGEMENT_CUES.iter().any(|cue| lowered.contains(cue)) && last_outcome(&lowered).is_some()
}

fn letter_text(pages: &[Page]) -> String {
    pages
        .iter()
        .take(LETTER_PAGES)
        .map(|page| page.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads a complaint judgement's letter; `None` when no outcome is stated anywhere.
pub fn read_complaint_letter(pages: &[Page]) -> Option<ComplaintLetterFacts> {
    let text = letter_text(pages);
    let first_page = pages.first().map_or("", |page| page.text.as_str());
    let mut parts: Vec<ComplaintPart> = part_sections(&text)
        .iter()
        .map(|section| read_part(&section.heading, &section.text))
        .filter(|part| part.outcome.is_some())
        .collect();
    if parts.is_empty() {
        let whole = read_part("", &text);
        whole.outcome.as_ref()?;
        parts.push(whole);
    }
    let received_date = find_received_date(&text);
    let judged_date = find_decision_date(first_page, received_date.as_deref());
    let received_date = received_date
        .filter(|received| judged_date.as_ref().is_none_or(|judged| received <= judged));
    let mut norms: Vec<String> = Vec::new();
    for norm in parts.iter().flat_map(|part| &part.norms) {
        if !norms.contains(norm) {
            norms.push(norm.clone());
        }
    }
    norms.sort_by_key(|name| woo_core::complaints::norm_by_any(name).map_or(0, |norm| norm.number));
    Some(ComplaintLetterFacts {
        body: find_body(first_page, &text),
        received_date,
        judged_date,
        subject: find_theme(&text).or_else(|| parts.first().and_then(|part| part.subject.clone())),
        outcome: overall_outcome(parts.iter().filter_map(|part| part.outcome.as_deref())),
        norms,
        parts,
    })
}

/// One section of a letter that judges one complaint part.
struct PartSection {
    heading: String,
    text: String,
}

/// A line that heads a complaint part: `Klachtonderdeel 1: …`, `Onderdeel a`, `Klacht 2`,
/// `Klachtpunt 3`.
static PART_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:klacht\s*onderdeel|onderdeel|klachtpunt|klacht|punt)\s+(?:\d{1,2}|[a-h]|i{1,3}|iv|v)\b\s*[.:)]?\s*(?P<rest>.*)$")
        .expect("valid part heading pattern")
});

/// A numbered item (`1. U klaagt erover dat …`) that heads a part when it states a complaint.
static NUMBERED_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\d{1,2}[.)]\s+(?P<rest>\S.*)$").expect("valid numbered item pattern")
});

fn states_a_complaint(text: &str) -> bool {
    let lowered = text.to_lowercase();
    ["klaagt", "klacht", "ontevreden", "bezwaar tegen de wijze"]
        .iter()
        .any(|word| lowered.contains(word))
}

/// The sections of a letter that judge its parts, from each part heading to the next; the
/// text before the first heading belongs to none. Fewer than two headings: no sections.
fn part_sections(text: &str) -> Vec<PartSection> {
    let mut sections: Vec<PartSection> = Vec::new();
    for line in text.lines() {
        let heading = PART_HEADING
            .captures(line)
            .or_else(|| {
                NUMBERED_ITEM
                    .captures(line)
                    .filter(|captures| states_a_complaint(&captures["rest"]))
            })
            .map(|captures| captures["rest"].trim().to_string());
        match heading {
            Some(heading) => sections.push(PartSection {
                heading,
                text: format!("{line}\n"),
            }),
            None => {
                if let Some(section) = sections.last_mut() {
                    section.text.push_str(line);
                    section.text.push('\n');
                }
            }
        }
    }
    if sections.len() < 2 {
        return Vec::new();
    }
    sections
}

fn read_part(heading: &str, text: &str) -> ComplaintPart {
    let lowered = collapse(text);
    let subject = part_subject(text).or_else(|| {
        let heading = heading.trim().trim_end_matches(['.', ':']);
        (!heading.is_empty() && heading.split_whitespace().count() <= 16)
            .then(|| heading.to_string())
    });
    ComplaintPart {
        subject,
        outcome: last_outcome(&lowered).map(str::to_string),
        norms: find_norms(text).into_iter().map(str::to_string).collect(),
    }
}

/// An outcome as letters state it (lowercase text with whitespace collapsed).
static OUTCOME_STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<outcome>niet[- ]ontvankelijk|niet in behandeling|buiten behandeling|informeel (?:afgehandeld|opgelost|afgedaan)|in der minne|(?:deels|gedeeltelijk|ten dele|grotendeels) gegrond|ongegrond|niet gegrond|gegrond)\b")
        .expect("valid outcome pattern")
});

/// Sentences that do not state an outcome although they name one: conditions (`als uw klacht
/// gegrond is`), questions about it (`of uw klacht gegrond is`) and objections or appeals.
fn is_outcome_sentence(sentence: &str) -> bool {
    let conditional = ["als ", "indien ", "wanneer ", "mocht "]
        .iter()
        .any(|start| sentence.trim_start().starts_with(start))
        || sentence.contains(" of uw klacht")
        || sentence.contains(" of de klacht")
        || sentence.contains(" of dit ");
    let about_objection = (sentence.contains("bezwaar") || sentence.contains("beroep"))
        && !sentence.contains("klacht");
    !conditional && !about_objection
}

/// The outcome of the last sentence in `lowered` that states one.
fn last_outcome(lowered: &str) -> Option<&'static str> {
    let mut found = None;
    for sentence in split_sentences(lowered) {
        if !is_outcome_sentence(sentence) {
            continue;
        }
        if let Some(captures) = OUTCOME_STATEMENT.captures_iter(sentence).last() {
            found = woo_core::complaints::normalise_outcome(&captures["outcome"]);
        }
    }
    found
}

/// What a part is about: the words after `klaagt over`, `klaagt erover dat`, `ontevreden
/// over`, `gaat over`, `niet eens met` (in that order of preference), up to the end of the
/// sentence.
fn part_subject(text: &str) -> Option<String> {
    static COMPLAINS_ABOUT: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            r"(?i)\b(?:klaagt|klaagde|klaagden)\s+(?:erover\s+dat|over)\s+(?P<subject>[^.;]+)",
            r"(?i)\bontevreden\s+over\s+(?P<subject>[^.;]+)",
            r"(?i)\b(?:gaat|ging)\s+over\s+(?P<subject>[^.;]+)",
            r"(?i)\bniet\s+eens\s+met\s+(?P<subject>[^.;]+)",
        ]
        .iter()
        .map(|pattern| Regex::new(pattern).expect("valid complaint subject pattern"))
        .collect()
    });
    let squashed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let subject = COMPLAINS_ABOUT
        .iter()
        .find_map(|pattern| pattern.captures(&squashed))?["subject"]
        .trim()
        .to_string();
    let subject = subject.strip_prefix("het gaat om ").unwrap_or(&subject);
    (!subject.is_empty()).then(|| subject.to_string())
}

/// Labels and formulas around the theme in a subject line, removed from its start.
const THEME_FORMULAS: &[&str] = &[
    "beslissing op uw klacht",
    "beslissing op de klacht",
    "beslissing op klacht",
    "afhandeling van uw klacht",
    "afhandeling klacht",
    "klachtoordeel",
    "uw klacht",
    "klacht",
    "inzake",
    "betreffende",
    "over een",
    "over",
    "van",
    "d.d.",
];

/// The theme: the `Onderwerp`/`Betreft` line (or a `Klacht over …` heading) without formulas
/// and dates.
fn find_theme(text: &str) -> Option<String> {
    static SUBJECT_LINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?im)^\s*(?:onderwerp|betreft|inzake)\b\s*[:.]?\s*(?P<rest>\S.*)$|^\s*(?:over een )?klacht over\s+(?P<heading>\S.*)$")
            .expect("valid subject line pattern")
    });
    for captures in SUBJECT_LINE.captures_iter(text) {
        let line = captures
            .name("rest")
            .or_else(|| captures.name("heading"))
            .map_or("", |m| m.as_str());
        let theme = strip_theme_formulas(line);
        if !theme.is_empty() {
            return Some(theme);
        }
    }
    None
}

fn strip_theme_formulas(line: &str) -> String {
    let mut theme = line.trim().to_string();
    loop {
        let before = theme.clone();
        let lowered = theme.to_lowercase();
        for formula in THEME_FORMULAS {
            if lowered.starts_with(formula)
                && lowered[formula.len()..]
                    .chars()
                    .next()
                    .is_none_or(|next| !next.is_alphanumeric())
            {
                theme = theme[formula.len()..].to_string();
                break;
            }
        }
        if let Some(date) = find_dates(&theme).into_iter().next() {
            if theme[..date.start].trim().is_empty() {
                theme = theme[date.end..].to_string();
            }
        }
        theme = theme
            .trim_matches(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | '.' | '-'))
            .to_string();
        if theme == before {
            return theme;
        }
    }
}

/// Words that start the name of a kind of public body.
const BODY_KINDS: &[&str] = &[
    "gemeente",
    "provincie",
    "waterschap",
    "hoogheemraadschap",
    "ministerie",
    "nationale ombudsman",
    "de ombudsman",
    "ombudsman",
    "ombudscommissie",
    "kinderombudsman",
    "veteranenombudsman",
    "rijkswaterstaat",
    "politie",
    "veiligheidsregio",
    "omgevingsdienst",
    "gemeenschappelijke regeling",
];

/// Lines of a letterhead that are not the body's name.
fn is_letterhead_noise(lowered: &str) -> bool {
    [
        "datum",
        "retour",
        "postbus",
        "aan ",
        "geachte",
        "beste",
        "rapport",
        "ons kenmerk",
        "uw kenmerk",
        "onderwerp",
        "betreft",
        "bezoekadres",
        "telefoon",
        "www.",
        "http",
        ">",
    ]
    .iter()
    .any(|start| lowered.starts_with(start))
}

/// The body that judged: a letterhead line naming a kind of body, else the first short
/// letterhead line, else the signature.
fn find_body(first_page: &str, text: &str) -> Option<String> {
    let lines: Vec<&str> = first_page
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take(LETTERHEAD_LINES)
        .collect();
    for line in &lines {
        let lowered = line.to_lowercase();
        if BODY_KINDS.iter().any(|kind| lowered.starts_with(kind))
            && line.split_whitespace().count() <= 8
        {
            return Some(line.trim_end_matches([',', '.']).to_string());
        }
    }
    if let Some(body) = body_from_signature(text) {
        return Some(body);
    }
    let first = lines.first()?;
    let lowered = first.to_lowercase();
    let short = first.split_whitespace().count() <= 6;
    let plain = !first.chars().any(|c| c.is_ascii_digit()) && !is_letterhead_noise(&lowered);
    (short && plain).then(|| first.trim_end_matches([',', '.']).to_string())
}

/// `Het college van burgemeester en wethouders van Ede` -> `Gemeente Ede`; `De minister van
/// Financiën` -> `Ministerie van Financiën`; `Gedeputeerde Staten van Zeeland` -> `Provincie
/// Zeeland`; `Het dagelijks bestuur van Waterschap X` -> `Waterschap X`.
fn body_from_signature(text: &str) -> Option<String> {
    static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?im)^\s*(?:het\s+)?(?P<kind>college\s+van\s+burgemeester\s+en\s+wethouders|burgemeester\s+en\s+wethouders|de\s+minister|de\s+staatssecretaris|gedeputeerde\s+staten|het\s+dagelijks\s+bestuur|dagelijks\s+bestuur)\s+van\s+(?:de\s+(?:gemeente|provincie)\s+)?(?P<name>[^,\n]+?)\s*,?\s*$")
            .expect("valid signature pattern")
    });
    let captures = SIGNATURE.captures_iter(text).last()?;
    let kind = captures["kind"].to_lowercase();
    let name = title_case(captures["name"].trim());
    let body = if kind.contains("wethouders") {
        format!("Gemeente {name}")
    } else if kind.contains("minister") || kind.contains("staatssecretaris") {
        format!("Ministerie van {name}")
    } else if kind.contains("gedeputeerde") {
        format!("Provincie {name}")
    } else {
        name
    };
    Some(body)
}

/// `INFRASTRUCTUUR EN WATERSTAAT` -> `Infrastructuur en Waterstaat` (signatures in capitals);
/// other text is kept.
fn title_case(name: &str) -> String {
    if name.chars().any(|c| c.is_lowercase()) {
        return name.to_string();
    }
    name.split(' ')
        .map(|word| {
            let lowered = word.to_lowercase();
            if matches!(lowered.as_str(), "en" | "van" | "de" | "der" | "het") {
                return lowered;
            }
            let mut characters = lowered.chars();
            match characters.next() {
                Some(first) => first.to_uppercase().chain(characters).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words that put a date in a sentence about the complaint's receipt.
const RECEIPT_WORDS: &[&str] = &[
    "ontvangen",
    "ontving",
    "ontvingen",
    "binnengekomen",
    "binnen",
    "ingekomen",
    "ingediend",
    "gewend",
    "klacht van",
    "klacht d.d",
];

/// The date received: a receipt label, else the date nearest a receipt word in the first
/// sentence about the complaint that has both.
fn find_received_date(text: &str) -> Option<String> {
    static RECEIPT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?im)^\s*(?:datum\s+(?:van\s+)?ontvangst|ontvangstdatum|ontvangen\s+op|klacht\s+ontvangen)\s*[:.]?\s*(?P<rest>[^\n]*)")
            .expect("valid receipt label pattern")
    });
    for captures in RECEIPT_LABEL.captures_iter(text) {
        if let Some(date) = find_dates(&captures["rest"]).into_iter().next() {
            return Some(date.iso);
        }
    }
    let lowered = collapse(text);
    for sentence in split_sentences(&lowered) {
        let about_complaint = ["klacht", "verzoeker", "verzoekster"]
            .iter()
            .any(|word| sentence.contains(word));
        if !about_complaint {
            continue;
        }
        let receipt_positions: Vec<usize> = RECEIPT_WORDS
            .iter()
            .flat_map(|word| sentence.match_indices(word).map(|(position, _)| position))
            .collect();
        if receipt_positions.is_empty() {
            continue;
        }
        let nearest = find_dates(sentence).into_iter().min_by_key(|date| {
            receipt_positions
                .iter()
                .map(|&position| {
                    position
                        .abs_diff(date.start)
                        .min(position.abs_diff(date.end))
                })
                .min()
                .unwrap_or(usize::MAX)
        });
        if let Some(date) = nearest {
            return Some(date.iso);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages_of(text: &str) -> Vec<Page> {
        vec![Page {
            page: 1,
            text: text.to_string(),
            ..Page::default()
        }]
    }

    #[test]
    fn a_plain_letter_gives_its_body_dates_outcome_and_norm() {
        let text = "Gemeente Ede\nPostbus 9022\n6710 HK EDE\n\nDatum: 20 februari 2024\nOnderwerp: Beslissing op uw klacht over afvalinzameling\n\nOp 5 januari 2024 hebben wij uw klacht ontvangen. U klaagt over het niet legen van uw container.\nAls uw klacht ongegrond is, kunt u naar de ombudsman.\nWij hebben gehandeld in strijd met het vereiste van voortvarendheid. Wij vinden uw klacht gegrond.\n";
        assert!(looks_like_complaint_judgement(&pages_of(text)));
        let facts = read_complaint_letter(&pages_of(text)).unwrap();
        assert_eq!(facts.body.as_deref(), Some("Gemeente Ede"));
        assert_eq!(facts.received_date.as_deref(), Some("2024-01-05"));
        assert_eq!(facts.judged_date.as_deref(), Some("2024-02-20"));
        assert_eq!(facts.subject.as_deref(), Some("afvalinzameling"));
        assert_eq!(facts.outcome.as_deref(), Some("gegrond"));
        assert_eq!(facts.norms, ["voortvarendheid"]);
        assert_eq!(facts.parts.len(), 1);
        assert_eq!(
            facts.parts[0].subject.as_deref(),
            Some("het niet legen van uw container")
        );
    }

    #[test]
    fn parts_are_kept_apart() {
        let text = "Ministerie van Financiën\nDatum 7 maart 2024\n\nKlachtonderdeel 1: de wachttijd\nHiermee is gehandeld in strijd met het vereiste van voortvarendheid.\nOordeel: gegrond\n\nKlachtonderdeel 2: de toon\nVan strijd met het vereiste van fatsoenlijke bejegening is geen sprake.\nOordeel: ongegrond\n\nDE MINISTER VAN FINANCIËN,\n";
        let facts = read_complaint_letter(&pages_of(text)).unwrap();
        let outcomes: Vec<&str> = facts
            .parts
            .iter()
            .filter_map(|part| part.outcome.as_deref())
            .collect();
        assert_eq!(outcomes, ["gegrond", "ongegrond"]);
        assert_eq!(facts.parts[0].norms, ["voortvarendheid"]);
        assert_eq!(facts.parts[1].norms, ["fatsoenlijke bejegening"]);
        assert_eq!(facts.parts[1].subject.as_deref(), Some("de toon"));
        assert_eq!(facts.outcome.as_deref(), Some("deels gegrond"));
    }

    #[test]
    fn objections_and_plain_letters_are_not_complaint_judgements() {
        let objection = "Gemeente Ede\nDatum: 1 maart 2024\nIk verklaar uw bezwaar gegrond. Tegen dit besluit kunt u beroep instellen. U kunt ook een klacht indienen bij de Nationale ombudsman.";
        assert!(!looks_like_complaint_judgement(&pages_of(objection)));
        assert!(!looks_like_complaint_judgement(&pages_of(
            "Uw klacht is ontvangen."
        )));
        assert_eq!(
            body_from_signature(
                "Met vriendelijke groet,\nHet college van burgemeester en wethouders van Hoorn,\n"
            )
            .as_deref(),
            Some("Gemeente Hoorn")
        );
    }
}
