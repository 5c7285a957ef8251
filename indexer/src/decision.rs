//! Decision letters (besluiten op Wob-/Woo-verzoeken): the letter's date, the date of the
//! request it answers, the kind of decision and the refusal-ground articles it cites.
//!
//! [`analyse_decision`] is called for every document; it answers `None` unless the document
//! looks like a decision letter ([`looks_like_decision_letter`]). Everything is read from the
//! page text, so it works on OCR'd letters too:
//! - decision date: a `Datum` label in the letterhead (value on the same or the next line), a
//!   `Den Haag, 15 maart 2024` line, else the first date on the first page outside sentences
//!   about the request;
//! - request date: `Uw brief van` / `Uw verzoek` labels, and sentences about the request
//!   (`Op 2 januari 2024 ontvingen wij uw verzoek`, `uw verzoek van 2 januari 2024`,
//!   `Bij brief van 2 januari 2024 heeft u ... verzocht`);
//! - decision: [`DECISION_GEEN_DOCUMENTEN`], [`DECISION_DEELS_OPENBAAR`],
//!   [`DECISION_NIET_OPENBAAR`] or [`DECISION_OPENBAAR`], from the decision phrases;
//! - articles: every refusal ground cited, normalised to its Woo code by [`woo_core::woo`]
//!   (`10, tweede lid, onder e, van de Wob` and `5.1.2e` both give `5.1.2e`).

use std::sync::LazyLock;

use regex::Regex;

use woo_core::dates;
use woo_core::model::Page;
use woo_core::woo;

/// Decision type: everything requested is disclosed.
pub const DECISION_OPENBAAR: &str = "openbaar";
/// Decision type: disclosed in part.
pub const DECISION_DEELS_OPENBAAR: &str = "deels openbaar";
/// Decision type: disclosure refused.
pub const DECISION_NIET_OPENBAAR: &str = "niet openbaar";
/// Decision type: no documents were found.
pub const DECISION_GEEN_DOCUMENTEN: &str = "geen documenten aangetroffen";

/// Pages read for the letterhead and the request (a decision letter states them up front).
const LETTER_PAGES: usize = 3;
/// Pages read for the decision phrases and the cited articles.
const DECISION_PAGES: usize = 8;

/// What a decision letter says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionFacts {
    /// The letter's date, `YYYY-MM-DD`.
    pub decision_date: Option<String>,
    /// The date of the request it answers, `YYYY-MM-DD`.
    pub request_date: Option<String>,
    /// One of the `DECISION_*` values.
    pub decision: Option<String>,
    /// Refusal-ground articles cited, canonical Woo codes, in order of first citation.
    pub articles: Vec<String>,
}

/// A date written out (`15 maart 2024`, `1 sept. 2021`) or numeric (`15-03-2024`, `15/3/2024`).
static DATE_PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(?P<day>[0-3]?\d)(?:e|ste|de)?\s*(?P<month>januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan\.?|febr?\.?|mrt\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|okt\.?|nov\.?|dec\.?)\s+(?P<year>(?:19|20)\d\d)|(?P<nday>[0-3]?\d)[-/.](?P<nmonth>[01]?\d)[-/.](?P<nyear>(?:19|20)\d\d))\b",
    )
    .expect("valid date pattern")
});

/// A date found in a text, with its byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FoundDate {
    pub(crate) iso: String,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Every valid date in `text`, in order.
pub(crate) fn find_dates(text: &str) -> Vec<FoundDate> {
    let mut dates = Vec::new();
    for captures in DATE_PATTERN.captures_iter(text) {
        let Some(whole) = captures.get(0) else {
            continue;
        };
        let (day, month, year) = if let Some(month_name) = captures.name("month") {
            (
                captures.name("day").map(|m| m.as_str()),
                dates::dutch_month_number(month_name.as_str()),
                captures.name("year").map(|m| m.as_str()),
            )
        } else {
            (
                captures.name("nday").map(|m| m.as_str()),
                captures
                    .name("nmonth")
                    .and_then(|m| m.as_str().parse::<u32>().ok()),
                captures.name("nyear").map(|m| m.as_str()),
            )
        };
        let (Some(day), Some(month), Some(year)) = (day, month, year) else {
            continue;
        };
        let (Ok(day), Ok(year)) = (day.parse::<u32>(), year.parse::<u32>()) else {
            continue;
        };
        let Some(iso) = dates::iso_date(year, month, day) else {
            continue;
        };
        dates.push(FoundDate {
            iso,
            start: whole.start(),
            end: whole.end(),
        });
    }
    dates
}

/// The first date in `text`, as `YYYY-MM-DD`.
pub fn first_date(text: &str) -> Option<String> {
    find_dates(text).into_iter().next().map(|date| date.iso)
}

/// Lowercase with whitespace collapsed to single spaces.
pub(crate) fn collapse(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Phrases that name a Wob/Woo request in a letter.
const REQUEST_WORDS: &[&str] = &[
    "wob-verzoek",
    "woo-verzoek",
    "wob verzoek",
    "woo verzoek",
    "verzoek om informatie",
    "verzoek om openbaarmaking",
    "wet openbaarheid van bestuur",
    "wet open overheid",
];

/// Whether a document is a decision letter: its type or title says `besluit` (not
/// `besluitenlijst`), or its first pages speak of a Wob/Woo request and it takes a decision.
pub fn looks_like_decision_letter(
    title: &str,
    document_type: Option<&str>,
    pages: &[Page],
) -> bool {
    let text: String = pages
        .iter()
        .take(LETTER_PAGES)
        .map(|page| page.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let text = collapse(&text);
    let names_request = REQUEST_WORDS.iter().any(|word| text.contains(word));
    let labels: Vec<String> = [Some(title), document_type]
        .into_iter()
        .flatten()
        .map(str::to_lowercase)
        .collect();
    let labelled_other = labels
        .iter()
        .any(|label| label.contains("inventaris") || label.contains("besluitenlijst"));
    if labelled_other {
        return false;
    }
    let labelled_besluit = labels
        .iter()
        .any(|label| label.contains("besluit") || label.contains("beslissing op"));
    if labelled_besluit && (names_request || text.contains("openbaar")) {
        return true;
    }
    let states_decision = [
        "besluit op uw",
        "besluit op het",
        "besluit ik",
        "heb besloten",
        "hebben besloten",
    ]
    .iter()
    .any(|phrase| text.contains(phrase));
    names_request && states_decision && decision_from_text(&text).is_some()
}

/// Reads a decision letter; `None` when the document does not look like one.
pub fn analyse_decision(
    title: &str,
    document_type: Option<&str>,
    pages: &[Page],
) -> Option<DecisionFacts> {
    if !looks_like_decision_letter(title, document_type, pages) {
        return None;
    }
    let letter_text: String = pages
        .iter()
        .take(LETTER_PAGES)
        .map(|page| page.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let decision_text: String = pages
        .iter()
        .take(DECISION_PAGES)
        .map(|page| page.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let first_page = pages.first().map_or("", |page| page.text.as_str());
    let request_date = find_request_date(&letter_text);
    let decision_date = find_decision_date(first_page, request_date.as_deref()).or_else(|| {
        pages
            .get(1)
            .and_then(|page| labelled_letter_date(&page.text))
    });
    let mut articles: Vec<String> = Vec::new();
    for page in pages.iter().take(DECISION_PAGES) {
        for code in woo::find_ground_stamps(&page.text) {
            if code != "dubbel" && !articles.contains(&code) {
                articles.push(code);
            }
        }
    }
    Some(DecisionFacts {
        decision_date,
        request_date,
        decision: decision_of_letter(&collapse(&decision_text)).map(str::to_string),
        articles,
    })
}

/// Lines after a `Datum` label searched for its value (labels in a column: `Datum`, `Betreft`,
/// then their values).
const LABEL_VALUE_LINES: usize = 4;

/// A `Datum` label (value on the same or one of the next lines), or a `Plaats, 15 maart 2024` line.
fn labelled_letter_date(text: &str) -> Option<String> {
    static DATUM_LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:datum|date|dagtekening|verzenddatum|publicatiedatum)\b(?:\s+(?:besluit|brief))?\s*[:.]?\s*(?P<rest>.*)$")
            .expect("valid datum pattern")
    });
    static PLACE_COMMA_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^[ \t]*(?:[A-Z][a-z'’]+(?:[ -][A-Za-z'’]+){0,2}),[ \t]*(?P<rest>[^\n]*)")
            .expect("valid place pattern")
    });
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for (index, line) in lines.iter().enumerate() {
        let Some(captures) = DATUM_LABEL.captures(line) else {
            continue;
        };
        let rest = captures.name("rest").map_or("", |m| m.as_str());
        // The value stands after the label, or (a label column) on one of the next lines.
        let candidates = std::iter::once(rest).chain(
            lines
                .iter()
                .skip(index + 1)
                .take(LABEL_VALUE_LINES)
                .copied(),
        );
        for candidate in candidates {
            if let Some(date) = find_dates(candidate).into_iter().next() {
                if date.start <= 3 {
                    return Some(date.iso);
                }
            }
        }
    }
    for captures in PLACE_COMMA_DATE.captures_iter(text) {
        let rest = captures.name("rest").map_or("", |m| m.as_str());
        if let Some(date) = find_dates(rest).into_iter().next() {
            if date.start == 0 {
                return Some(date.iso);
            }
        }
    }
    None
}

/// Words that put a date in a sentence about the request (or another earlier letter), so it
/// is not the letter's own date.
const EARLIER_LETTER_WORDS: &[&str] = &[
    "verzoek",
    "verzocht",
    "ontvang",
    "brief van",
    "e-mail van",
    "email van",
    "mail van",
    "ingediend",
    "uw brief",
    "gevraagd",
    "besluit van",
    "bezwaar",
    "ingekomen",
];

/// The letter's date: labelled, else the first date on the first page that is not the request
/// date and not in a sentence about an earlier letter.
pub(crate) fn find_decision_date(first_page: &str, request_date: Option<&str>) -> Option<String> {
    if let Some(date) = labelled_letter_date(first_page) {
        return Some(date);
    }
    for date in find_dates(first_page) {
        if Some(date.iso.as_str()) == request_date {
            continue;
        }
        let before_start = first_page[..date.start]
            .char_indices()
            .rev()
            .nth(80)
            .map_or(0, |(index, _)| index);
        let context = collapse(&first_page[before_start..date.end]);
        let sentence_start = context.rfind(". ").map_or(0, |index| index + 2);
        let sentence = &context[sentence_start..];
        if EARLIER_LETTER_WORDS
            .iter()
            .any(|word| sentence.contains(word))
        {
            continue;
        }
        return Some(date.iso);
    }
    None
}

/// The date of the request: a `Uw brief`/`Uw verzoek` label, else the first date in a sentence
/// about the request.
fn find_request_date(text: &str) -> Option<String> {
    static REQUEST_LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?im)^[ \t]*(?:uw[ \t]+(?:brief|verzoek|e-?mail|schrijven)(?:[ \t]+van)?|datum[ \t]+(?:verzoek|ontvangst))[ \t]*[:.]?[ \t]*(?:\n[ \t]*)?(?P<rest>[^\n]*)")
            .expect("valid request label pattern")
    });
    for captures in REQUEST_LABEL.captures_iter(text) {
        let rest = captures.name("rest").map_or("", |m| m.as_str());
        if let Some(date) = find_dates(rest).into_iter().next() {
            if date.start <= 3 {
                return Some(date.iso);
            }
        }
    }
    let collapsed = collapse(text);
    static EARLIER_LETTER_OF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:in uw|bij|met uw|per) (?:brief|e-mail|email|e-mailbericht|mail|verzoek|schrijven|formulier)(?: van| d\.d\.| gedateerd| op)? ")
            .expect("valid earlier letter pattern")
    });
    for found in EARLIER_LETTER_OF.find_iter(&collapsed) {
        let after = &collapsed[found.end()..];
        let Some(date) = find_dates(after).into_iter().next() else {
            continue;
        };
        let sentence_end = after.find(". ").unwrap_or(after.len());
        let names_request = ["verzoek", "verzocht", "gevraagd"]
            .iter()
            .any(|word| after[..sentence_end].contains(word))
            || found.as_str().contains("verzoek");
        if date.start == 0 && names_request && !after[..sentence_end].contains("ontvangst van uw") {
            return Some(date.iso);
        }
    }
    for sentence in split_sentences(&collapsed) {
        let about_request = ["verzoek", "verzocht", "gevraagd"]
            .iter()
            .any(|word| sentence.contains(word));
        if !about_request {
            continue;
        }
        let about_decision_itself =
            sentence.contains("bezwaar") || sentence.contains("besluit van");
        if about_decision_itself {
            continue;
        }
        if let Some(date) = date_nearest_request_word(sentence) {
            return Some(date);
        }
    }
    None
}

/// Characters between a date and a request word for the date to be the request's.
const REQUEST_WORD_REACH: usize = 120;

/// The date of a sentence closest to one of its request words, within [`REQUEST_WORD_REACH`].
fn date_nearest_request_word(sentence: &str) -> Option<String> {
    let mut word_positions: Vec<usize> = Vec::new();
    for word in ["verzoek", "verzocht", "gevraagd", "ontving", "ontvangen"] {
        word_positions.extend(sentence.match_indices(word).map(|(index, _)| index));
    }
    let mut best: Option<(usize, String)> = None;
    for date in find_dates(sentence) {
        let distance = word_positions
            .iter()
            .map(|&position| {
                if position >= date.end {
                    position - date.end
                } else {
                    date.start.saturating_sub(position)
                }
            })
            .min()
            .unwrap_or(usize::MAX);
        if distance > REQUEST_WORD_REACH {
            continue;
        }
        if best.as_ref().is_none_or(|(known, _)| distance < *known) {
            best = Some((distance, date.iso));
        }
    }
    best.map(|(_, iso)| iso)
}

/// Splits collapsed text into sentences at `. `, `? `, `! ` followed by an uppercase letter or
/// digit in the original, approximated here (the text is lowercased) by any `. ` not preceded
/// by a month abbreviation or a single letter.
pub(crate) fn split_sentences(collapsed: &str) -> Vec<&str> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let bytes = collapsed.as_bytes();
    for index in 0..bytes.len().saturating_sub(1) {
        let is_end = matches!(bytes[index], b'.' | b'?' | b'!') && bytes[index + 1] == b' ';
        if !is_end {
            continue;
        }
        let word_before = collapsed[start..index]
            .rsplit(' ')
            .next()
            .unwrap_or_default();
        let is_abbreviation = word_before.chars().count() <= 1
            || dates::dutch_month_number(word_before).is_some()
            || matches!(
                word_before,
                "art" | "nr" | "o.a" | "m.b.t" | "t.a.v" | "jl" | "j.l" | "d.d" | "bijv"
            );
        if is_abbreviation {
            continue;
        }
        sentences.push(&collapsed[start..index]);
        start = index + 2;
    }
    if start < collapsed.len() {
        sentences.push(&collapsed[start..]);
    }
    sentences
}

/// Phrases of each decision type, in lowercase with whitespace collapsed.
const GEEN_DOCUMENTEN_PHRASES: &[&str] = &[
    "geen documenten aangetroffen",
    "geen documenten zijn aangetroffen",
    "geen documenten gevonden",
    "geen documenten zijn gevonden",
    "geen informatie aangetroffen",
    "geen stukken aangetroffen",
    "geen documenten berusten",
    "geen documenten onder mij berusten",
    "beschik ik niet over documenten",
    "niet over documenten beschik",
    "geen documenten in bezit",
];
const DEELS_PHRASES: &[&str] = &[
    "gedeeltelijk openbaar",
    "deels openbaar",
    "gedeeltelijk toe te wijzen",
    "gedeeltelijk in te willigen",
    "gedeeltelijk tegemoet",
    "gedeeltelijk toegewezen",
    "gedeeltelijk ingewilligd",
    "deels toe te wijzen",
    "deels aan uw verzoek",
    "(gedeeltelijk) openbaar",
    "met inachtneming van de weigeringsgronden",
    "met in achtneming van de weigeringsgronden",
    "(deels) aan uw verzoek",
    "gedeeltelijk aan uw verzoek",
    "deels in te willigen",
];
const NIET_PHRASES: &[&str] = &[
    "niet openbaar te maken",
    "niet openbaar maak",
    "openbaarmaking te weigeren",
    "openbaarmaking weiger",
    "verzoek af te wijzen",
    "verzoek afgewezen",
    "wijs ik uw verzoek af",
    "wijs ik het verzoek af",
    "uw verzoek wordt afgewezen",
];
const OPENBAAR_PHRASES: &[&str] = &[
    "openbaar te maken",
    "openbaar gemaakt",
    "openbaar maak",
    "maak ik openbaar",
    "worden openbaar gemaakt",
    "verzoek toe te wijzen",
    "verzoek in te willigen",
    "volledig openbaar",
    "geheel openbaar",
    "verstrek ik",
    "aan uw verzoek tegemoet",
    "openbaar worden gemaakt",
];

/// Words that open the sentence stating the decision.
const DECISION_SENTENCE_WORDS: &[&str] = &[
    "besluit ik",
    "ik besluit",
    "heb besloten",
    "heb ik besloten",
    "wij hebben besloten",
    "hebben wij besloten",
];

/// The decision type of a letter: from the sentences that state the decision (`Ik heb besloten
/// ...`, `... besluit ik ...`) when they name one, else from the whole text.
pub fn decision_of_letter(collapsed: &str) -> Option<&'static str> {
    let decision_sentences: Vec<&str> = split_sentences(collapsed)
        .into_iter()
        .filter(|sentence| {
            !sentence.starts_with("indien")
                && DECISION_SENTENCE_WORDS
                    .iter()
                    .any(|word| sentence.contains(word))
        })
        .collect();
    let whole_text = decision_from_text(collapsed);
    match decision_from_text(&decision_sentences.join(". ")) {
        // A request refused because nothing was found.
        Some(DECISION_NIET_OPENBAAR) if whole_text == Some(DECISION_GEEN_DOCUMENTEN) => whole_text,
        Some(decision) => Some(decision),
        None => whole_text,
    }
}

/// The decision type from the letter's text (lowercase, whitespace collapsed).
///
/// No documents found wins; then "deels" phrases; a letter that both discloses and refuses is
/// deels openbaar; then refusal; then disclosure.
pub fn decision_from_text(collapsed: &str) -> Option<&'static str> {
    let has_any = |phrases: &[&str]| phrases.iter().any(|phrase| collapsed.contains(phrase));
    if has_any(GEEN_DOCUMENTEN_PHRASES) {
        return Some(DECISION_GEEN_DOCUMENTEN);
    }
    if has_any(DEELS_PHRASES) {
        return Some(DECISION_DEELS_OPENBAAR);
    }
    let refuses = has_any(NIET_PHRASES);
    let discloses = OPENBAAR_PHRASES.iter().any(|phrase| {
        collapsed.match_indices(phrase).any(|(index, _)| {
            let before = &collapsed[..index];
            !before.ends_with("niet ") && !before.ends_with("niet langer ")
        })
    });
    match (refuses, discloses) {
        (true, true) => Some(DECISION_DEELS_OPENBAAR),
        (true, false) => Some(DECISION_NIET_OPENBAAR),
        (false, true) => Some(DECISION_OPENBAAR),
        (false, false) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(texts: &[&str]) -> Vec<Page> {
        texts
            .iter()
            .enumerate()
            .map(|(index, text)| Page {
                page: index as u32 + 1,
                text: text.to_string(),
                ..Page::default()
            })
            .collect()
    }

    const LETTER: &str = "Ministerie van Volksgezondheid\nDatum 15 maart 2024\nBetreft Besluit op uw Woo-verzoek\nOns kenmerk 2024-0001234\n\nGeachte heer,\n\nOp 2 januari 2024 ontvingen wij uw verzoek op grond van de Wet open overheid (Woo). Ik heb besloten de documenten gedeeltelijk openbaar te maken. Persoonsgegevens zijn weggelakt op grond van artikel 5.1, tweede lid, aanhef en onder e, van de Woo.";

    #[test]
    fn a_full_letter_gives_every_fact() {
        let facts = analyse_decision("Besluit", Some("besluit"), &pages(&[LETTER])).unwrap();
        assert_eq!(facts.decision_date.as_deref(), Some("2024-03-15"));
        assert_eq!(facts.request_date.as_deref(), Some("2024-01-02"));
        assert_eq!(facts.decision.as_deref(), Some(DECISION_DEELS_OPENBAAR));
        assert_eq!(facts.articles, vec!["5.1.2e"]);
    }

    #[test]
    fn the_datum_value_may_stand_on_the_next_line() {
        assert_eq!(
            labelled_letter_date("Datum\n23 december 2021\nBetreft").as_deref(),
            Some("2021-12-23")
        );
        assert_eq!(
            labelled_letter_date("Den Haag, 1 sept. 2021").as_deref(),
            Some("2021-09-01")
        );
        assert_eq!(
            labelled_letter_date("Datum\n\n9 december 2025\n").as_deref(),
            Some("2025-12-09")
        );
        assert_eq!(
            labelled_letter_date("Datum: 05-03-2019").as_deref(),
            Some("2019-03-05")
        );
    }

    #[test]
    fn request_dates_come_from_the_sentences_about_the_request() {
        let cases = [
            (
                "Bij brief van 3 februari 2020 heeft u verzocht om informatie.",
                "2020-02-03",
            ),
            (
                "In uw verzoek van 12 mei 2022 vraagt u om documenten.",
                "2022-05-12",
            ),
            ("Uw brief van\n4-6-2019\nOns kenmerk", "2019-06-04"),
            (
                "U heeft op 30 november 2021 een Woo-verzoek ingediend.",
                "2021-11-30",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(find_request_date(text).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn an_unlabelled_letter_date_skips_the_request_sentence() {
        let first_page =
            "Amsterdam\n\nOp 2 januari 2024 ontving ik uw verzoek.\n\n14 februari 2024\n";
        assert_eq!(
            find_decision_date(first_page, Some("2024-01-02")).as_deref(),
            Some("2024-02-14")
        );
    }

    #[test]
    fn decision_types_are_told_apart() {
        let decide = |text: &str| decision_from_text(&collapse(text));
        assert_eq!(
            decide("Er zijn geen documenten aangetroffen."),
            Some(DECISION_GEEN_DOCUMENTEN)
        );
        assert_eq!(
            decide("Ik besluit de documenten deels openbaar te maken."),
            Some(DECISION_DEELS_OPENBAAR)
        );
        assert_eq!(
            decide("Ik besluit de documenten niet openbaar te maken."),
            Some(DECISION_NIET_OPENBAAR)
        );
        assert_eq!(
            decide("Ik besluit de documenten openbaar te maken."),
            Some(DECISION_OPENBAAR)
        );
        assert_eq!(
            decide("Document 1 maak ik openbaar. Document 2 besluit ik niet openbaar te maken."),
            Some(DECISION_DEELS_OPENBAAR)
        );
        assert_eq!(decide("Geachte heer, hierbij de agenda."), None);
        assert_eq!(
            decision_of_letter(&collapse(
                "Ik heb besloten (deels) aan uw verzoek tegemoet te komen. Document 3 is niet openbaar te maken."
            )),
            Some(DECISION_DEELS_OPENBAAR)
        );
        assert_eq!(
            decision_of_letter(&collapse(
                "Besluit Ik heb besloten om uw verzoek af te wijzen. De stukken zijn elders openbaar gemaakt."
            )),
            Some(DECISION_NIET_OPENBAAR)
        );
    }

    #[test]
    fn other_documents_are_not_decision_letters() {
        let memo = pages(&["Memo\nDatum 1 juni 2021\nVerslag van het overleg over de zonneweide."]);
        assert_eq!(
            analyse_decision("Memo BO verslag", Some("memo"), &memo),
            None
        );
        let list = pages(&["Besluitenlijst raadsvergadering 29 juni 2015"]);
        assert_eq!(analyse_decision("Besluitenlijst", None, &list), None);
        let inventory =
            pages(&["Inventarislijst bij het besluit op uw Woo-verzoek\n0001 deels openbaar"]);
        assert_eq!(
            analyse_decision(
                "Inventarislijst Woo-besluit",
                Some("inventaris"),
                &inventory
            ),
            None
        );
        let request_only = pages(&["Geachte heer,\nHierbij dien ik een Woo-verzoek in. Ik vraag u alles openbaar te maken."]);
        assert_eq!(analyse_decision("Brief", None, &request_only), None);
    }

    #[test]
    fn written_and_numeric_dates_parse() {
        assert_eq!(
            first_date("op 1e maart 2020").as_deref(),
            Some("2020-03-01")
        );
        assert_eq!(first_date("15/3/2024").as_deref(), Some("2024-03-15"));
        assert_eq!(first_date("31 februari 2024"), None);
        assert_eq!(
            first_date("versie 1.2.2024"),
            Some("2024-02-01".to_string())
        );
    }
}
