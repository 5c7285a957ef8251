//! Complaint judgements (klachtoordelen, art. 3.3(2)(l) Woo; Awb chapter 9): their outcome
//! values, the Nationale ombudsman's norms of proper conduct (`data/behoorlijkheidsnormen.tsv`)
//! and the legal handling term.
//!
//! - [`OUTCOMES`], [`normalise_outcome`], [`overall_outcome`], [`is_well_founded`]
//! - [`NORMS`], [`norm_by_any`], [`find_norms`]: the 22 behoorlijkheidsnormen and where a text
//!   cites them
//! - [`handling_days`], [`LEGAL_TERM_DAYS`], [`ADJOURNED_TERM_DAYS`]: art. 9:11 Awb (six weeks,
//!   adjournable by four)
//! - [`violated_norms`]: the norms of the parts judged (partly) well-founded

use std::sync::LazyLock;

use crate::analysis::fold;
use crate::model::DocumentFields;

/// The outcomes a complaint (part) can have, as the index keeps them.
pub const OUTCOMES: &[&str] = &[
    "gegrond",
    "deels gegrond",
    "ongegrond",
    "niet-ontvankelijk",
    "niet in behandeling genomen",
    "informeel afgehandeld",
];

/// Art. 9:11(1) Awb: a body judges a complaint within six weeks of receiving it.
pub const LEGAL_TERM_DAYS: i64 = 42;
/// Art. 9:11(2) Awb: the term may be adjourned by at most four weeks.
pub const ADJOURNED_TERM_DAYS: i64 = 70;

/// Normalises an outcome as records and letters write it to one of [`OUTCOMES`].
pub fn normalise_outcome(value: &str) -> Option<&'static str> {
    let lowered = fold(value.trim()).replace(['_', '-'], " ");
    let lowered = lowered.split_whitespace().collect::<Vec<_>>().join(" ");
    if lowered.contains("ontvankelijk") {
        return Some("niet-ontvankelijk");
    }
    if lowered.contains("niet in behandeling") || lowered.contains("buiten behandeling") {
        return Some("niet in behandeling genomen");
    }
    if lowered.contains("informeel") || lowered.contains("in der minne") {
        return Some("informeel afgehandeld");
    }
    if lowered.starts_with("ongegrond") || lowered.starts_with("niet gegrond") {
        return Some("ongegrond");
    }
    if lowered.contains("deels") || lowered.contains("gedeeltelijk") || lowered.contains("ten dele")
    {
        return Some("deels gegrond");
    }
    if lowered.starts_with("gegrond") {
        return Some("gegrond");
    }
    None
}

/// Whether an outcome counts as (partly) well-founded: `gegrond` or `deels gegrond`.
pub fn is_well_founded(outcome: &str) -> bool {
    outcome == "gegrond" || outcome == "deels gegrond"
}

/// The outcome of a judgement from the outcomes of its parts: the common outcome when all
/// agree; `deels gegrond` when some part is (partly) well-founded and another is not; else the
/// outcome of the first part that was judged on its merits (`ongegrond`), else the first.
pub fn overall_outcome<'a>(parts: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let outcomes: Vec<&str> = parts.into_iter().collect();
    let first = *outcomes.first()?;
    if outcomes.iter().all(|outcome| *outcome == first) {
        return Some(first.to_string());
    }
    if outcomes.iter().any(|outcome| is_well_founded(outcome)) {
        return Some("deels gegrond".to_string());
    }
    if outcomes.contains(&"ongegrond") {
        return Some("ongegrond".to_string());
    }
    Some(first.to_string())
}

/// Days from receipt to judgement (`YYYY-MM-DD` each); `None` when a date is missing or the
/// judgement would precede the receipt.
pub fn handling_days(received: Option<&str>, judged: Option<&str>) -> Option<i64> {
    let received = crate::dates::date_to_days(received?)?;
    let judged = crate::dates::date_to_days(judged?)?;
    (judged >= received).then_some(judged - received)
}

/// One norm of proper conduct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Norm {
    /// Its number in the Behoorlijkheidswijzer, 1–22.
    pub number: u32,
    /// Its core value (`open en duidelijk`, `respectvol`, `betrokken en oplossingsgericht`,
    /// `eerlijk en betrouwbaar`).
    pub core_value: &'static str,
    /// Its name as the index keeps it (`voortvarendheid`).
    pub name: &'static str,
    /// The norm's name and other spellings, each as folded words.
    spellings: Vec<Vec<String>>,
    /// The name is an ordinary word too: matched only in a sentence that speaks of a norm.
    needs_norm_context: bool,
}

/// The 22 norms, in the Behoorlijkheidswijzer's order.
pub static NORMS: LazyLock<Vec<Norm>> = LazyLock::new(|| {
    include_str!("../data/behoorlijkheidsnormen.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(parse_norm_line)
        .collect()
});

fn parse_norm_line(line: &'static str) -> Option<Norm> {
    let columns: Vec<&'static str> = line.split('\t').collect();
    let [number, core_value, name, others, kind] = columns.as_slice() else {
        return None;
    };
    let mut spellings = vec![folded_words(name)];
    for other in others.split(',').filter(|other| !other.trim().is_empty()) {
        spellings.push(folded_words(other));
    }
    Some(Norm {
        number: number.parse().ok()?,
        core_value,
        name,
        spellings,
        needs_norm_context: *kind == "word",
    })
}

fn folded_words(text: &str) -> Vec<String> {
    text.split(|character: char| !character.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(fold)
        .collect()
}

/// The norm a name or spelling stands for (`Voortvarendheid`, `behoorlijke bejegening`).
pub fn norm_by_any(value: &str) -> Option<&'static Norm> {
    let words = folded_words(value);
    NORMS.iter().find(|norm| norm.spellings.contains(&words))
}

/// Words (folded) that mark a sentence as speaking of a norm of proper conduct.
const NORM_CONTEXT_WORDS: &[&str] = &[
    "vereiste",
    "vereisten",
    "norm",
    "normen",
    "behoorlijkheidsnorm",
    "behoorlijkheidsnormen",
    "behoorlijkheidsvereiste",
    "behoorlijkheidsvereisten",
    "behoorlijkheidswijzer",
    "behoorlijk",
    "onbehoorlijk",
    "strijd",
    "getoetst",
];

/// The norms a text cites, by name, in the Behoorlijkheidswijzer's order. Norms whose name is
/// an ordinary word (`redelijkheid`, `samenwerking`) count only in a sentence that also
/// speaks of a norm (`het vereiste van`, `in strijd met`, `behoorlijk`).
pub fn find_norms(text: &str) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    for sentence in text.split(['.', '!', '?', ';']) {
        let words = folded_words(sentence);
        if words.is_empty() {
            continue;
        }
        let speaks_of_norms = words
            .iter()
            .any(|word| NORM_CONTEXT_WORDS.contains(&word.as_str()));
        for norm in NORMS.iter() {
            if found.contains(&norm.name) || (norm.needs_norm_context && !speaks_of_norms) {
                continue;
            }
            let cited = norm
                .spellings
                .iter()
                .any(|spelling| contains_words(&words, spelling));
            if cited {
                found.push(norm.name);
            }
        }
    }
    found.sort_by_key(|name| norm_by_any(name).map_or(0, |norm| norm.number));
    found
}

fn contains_words(words: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty()
        && words
            .windows(phrase.len())
            .any(|window| window.iter().zip(phrase).all(|(word, part)| word == part))
}

/// The norms a judgement found violated: those of its parts judged (partly) well-founded,
/// or, without parts, its own norms when it is (partly) well-founded.
pub fn violated_norms(fields: &DocumentFields) -> Vec<String> {
    let mut violated: Vec<String> = Vec::new();
    if fields.complaint_parts.is_empty() {
        if fields.outcome.as_deref().is_some_and(is_well_founded) {
            violated.extend(fields.norms.iter().cloned());
        }
        return violated;
    }
    for part in &fields.complaint_parts {
        if !part.outcome.as_deref().is_some_and(is_well_founded) {
            continue;
        }
        for norm in &part.norms {
            if !violated.contains(norm) {
                violated.push(norm.clone());
            }
        }
    }
    violated
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ComplaintPart;

    #[test]
    fn the_list_holds_the_22_norms_in_four_core_values() {
        assert_eq!(NORMS.len(), 22);
        for (position, norm) in NORMS.iter().enumerate() {
            assert_eq!(norm.number as usize, position + 1, "{}", norm.name);
        }
        let mut core_values: Vec<&str> = NORMS.iter().map(|norm| norm.core_value).collect();
        core_values.dedup();
        assert_eq!(
            core_values,
            [
                "open en duidelijk",
                "respectvol",
                "betrokken en oplossingsgericht",
                "eerlijk en betrouwbaar"
            ]
        );
        assert_eq!(
            norm_by_any("Behoorlijke bejegening").map(|norm| norm.name),
            Some("fatsoenlijke bejegening")
        );
        assert_eq!(
            norm_by_any("deëscalatie").map(|norm| norm.name),
            Some("de-escalatie")
        );
    }

    #[test]
    fn norms_are_found_by_name_and_ordinary_words_only_beside_a_norm() {
        let text = "De gemeente heeft gehandeld in strijd met het vereiste van voortvarendheid. \
                    Ook is u niet fatsoenlijk bejegend. Wij vinden samenwerking met de buren belangrijk.";
        assert_eq!(
            find_norms(text),
            ["fatsoenlijke bejegening", "voortvarendheid"]
        );
        let text = "Het handelen is getoetst aan het vereiste van samenwerking en redelijkheid.";
        assert_eq!(find_norms(text), ["samenwerking", "redelijkheid"]);
        assert!(find_norms("Een redelijkheid die niemand noemt").is_empty());
    }

    #[test]
    fn outcomes_normalise_and_combine() {
        assert_eq!(normalise_outcome("Gegrond"), Some("gegrond"));
        assert_eq!(
            normalise_outcome("Gedeeltelijk gegrond"),
            Some("deels gegrond")
        );
        assert_eq!(normalise_outcome("ten dele gegrond"), Some("deels gegrond"));
        assert_eq!(normalise_outcome("niet gegrond"), Some("ongegrond"));
        assert_eq!(
            normalise_outcome("Niet ontvankelijk"),
            Some("niet-ontvankelijk")
        );
        assert_eq!(
            normalise_outcome("niet in behandeling genomen"),
            Some("niet in behandeling genomen")
        );
        assert_eq!(
            normalise_outcome("Informeel afgehandeld"),
            Some("informeel afgehandeld")
        );
        assert_eq!(normalise_outcome("onbekend"), None);
        assert_eq!(
            overall_outcome(["gegrond", "ongegrond"]).as_deref(),
            Some("deels gegrond")
        );
        assert_eq!(
            overall_outcome(["ongegrond", "niet-ontvankelijk"]).as_deref(),
            Some("ongegrond")
        );
        assert_eq!(overall_outcome([]), None);
    }

    #[test]
    fn handling_time_and_violated_norms() {
        assert_eq!(
            handling_days(Some("2024-01-01"), Some("2024-02-12")),
            Some(42)
        );
        assert_eq!(handling_days(Some("2024-02-12"), Some("2024-01-01")), None);
        assert_eq!(handling_days(None, Some("2024-01-01")), None);
        let fields = DocumentFields {
            complaint_parts: vec![
                ComplaintPart {
                    outcome: Some("gegrond".into()),
                    norms: vec!["voortvarendheid".into()],
                    ..ComplaintPart::default()
                },
                ComplaintPart {
                    outcome: Some("ongegrond".into()),
                    norms: vec!["fatsoenlijke bejegening".into()],
                    ..ComplaintPart::default()
                },
            ],
            ..DocumentFields::default()
        };
        assert_eq!(violated_norms(&fields), ["voortvarendheid"]);
    }
}
