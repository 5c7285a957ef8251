//! Complaint judgements (category `2l`) of the document table: counts per group of
//! [`COMPLAINT_GROUP_KEYS`] values (`GET /api/complaints/stats?group=`) and the patterns
//! across bodies and years ([`complaint_patterns`]) over the judgements a search matches.
//!
//! Submodules, lowest first:
//! ```text
//! themes    tf-idf + spherical k-means over the judgements' words: recurring themes
//! facts     ComplaintTable: each judgement's body, year, outcome, handling time, norms,
//!           subject and theme as small integers, built with the document table -> themes
//! links     the /?… and /api/search?… links of the searches behind every figure
//! patterns  the figures per request: shares with Wilson intervals, handling time, norms,
//!           rising and falling subjects, themes                         -> facts, links
//! ```

mod facts;
mod links;
mod patterns;
mod themes;

pub use facts::{
    build_complaint_table, cited_norm_names, ComplaintTable, JudgementFacts, NOT_A_JUDGEMENT,
};
pub use links::{LinkBase, SearchLink};
pub use patterns::{
    complaint_patterns, BodyNorms, BodyPattern, ComplaintPatterns, ExampleJudgement,
    HandlingPattern, HandlingSummary, NormCount, NormPatterns, ShareFigure, SubjectChange,
    SubjectTrends, TermShare, ThemePattern, WeekBin, YearCount, YearNorms, TREND_FDR,
};
pub use themes::{find_themes, Theme, Themes};

use std::collections::BTreeMap;

use serde::Serialize;
use woo_core::complaints::{handling_days, ADJOURNED_TERM_DAYS, LEGAL_TERM_DAYS};
use woo_core::StoredDocument;

use crate::error::{ApiError, Result};
use crate::search::table::DocumentTable;

/// Values of the `handling_time` facet: judged within the legal term (six weeks), within the
/// adjourned term (six to ten weeks), or later.
pub const HANDLING_TIME_VALUES: &[&str] = &["within_6_weeks", "6_to_10_weeks", "over_10_weeks"];

/// The `handling_time` facet value of a judgement (none without both dates).
pub fn handling_time_values(stored: &StoredDocument) -> Vec<String> {
    let fields = &stored.fields;
    let Some(days) = handling_days(fields.received_date.as_deref(), fields.date.as_deref()) else {
        return Vec::new();
    };
    vec![handling_time_value(days).to_string()]
}

/// The `handling_time` facet value of a handling time in days.
pub fn handling_time_value(days: i64) -> &'static str {
    if days <= LEGAL_TERM_DAYS {
        HANDLING_TIME_VALUES[0]
    } else if days <= ADJOURNED_TERM_DAYS {
        HANDLING_TIME_VALUES[1]
    } else {
        HANDLING_TIME_VALUES[2]
    }
}

/// The Dutch label of a `handling_time` value.
pub fn handling_time_label(value: &str) -> Option<String> {
    let label = match value {
        "within_6_weeks" => "binnen 6 weken",
        "6_to_10_weeks" => "6 tot 10 weken (verdaagd)",
        "over_10_weeks" => "meer dan 10 weken",
        _ => return None,
    };
    Some(label.to_string())
}

/// Keys `GET /api/complaints/stats` groups by.
pub const COMPLAINT_GROUP_KEYS: &[&str] = &["publisher", "outcome", "year", "subject"];

/// One group of complaint judgements and its count.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ComplaintGroup {
    /// The value of each group key, in the order asked (`null` when a record has none).
    pub key: BTreeMap<String, Option<String>>,
    /// Complaint judgements in the group.
    pub count: usize,
}

/// Counts the complaint judgements (category `2l`) among the table `positions` grouped by
/// `keys` (each one of [`COMPLAINT_GROUP_KEYS`]), largest groups first.
pub fn complaint_stats(
    table: &DocumentTable,
    positions: &[usize],
    keys: &[String],
) -> Result<Vec<ComplaintGroup>> {
    if keys.is_empty() {
        return Err(ApiError::invalid(
            "group",
            format!(
                "group must name one or more of {}",
                COMPLAINT_GROUP_KEYS.join(", ")
            ),
        ));
    }
    for key in keys {
        if !COMPLAINT_GROUP_KEYS.contains(&key.as_str()) {
            return Err(ApiError::invalid(
                "group",
                format!(
                    "cannot group by {key:?}; group by {}",
                    COMPLAINT_GROUP_KEYS.join(", ")
                ),
            ));
        }
    }
    let mut counts: BTreeMap<Vec<Option<String>>, usize> = BTreeMap::new();
    for &position in positions {
        if table.complaints.judgement(position).is_none() {
            continue;
        }
        let values: Vec<Option<String>> = keys
            .iter()
            .map(|key| {
                table
                    .facet(position, key)
                    .first()
                    .map(|value| value.to_string())
            })
            .collect();
        *counts.entry(values).or_default() += 1;
    }
    let mut groups: Vec<ComplaintGroup> = counts
        .into_iter()
        .map(|(values, count)| ComplaintGroup {
            key: keys.iter().cloned().zip(values).collect(),
            count,
        })
        .collect();
    groups.sort_by_key(|group| std::cmp::Reverse(group.count));
    Ok(groups)
}
