//! The figures of a search over the complaint judgements: counts per group of
//! [`COMPLAINT_GROUP_KEYS`] values (`GET /api/complaints/stats?group=`) and the patterns
//! across bodies and years ([`complaint_patterns`]).
//!
//! Submodules, lowest first:
//! ```text
//! links     the /?… and /api/search?… links of the searches behind every figure
//! patterns  the figures per request: shares with Wilson intervals, handling time, norms,
//!           rising and falling subjects, themes                                  -> links
//! ```

mod links;
mod patterns;

pub use links::{LinkBase, SearchLink};
pub use patterns::{
    complaint_patterns, week_bin, BodyNorms, BodyPattern, ComplaintPatterns, ExampleJudgement,
    HandlingPattern, HandlingSummary, NormCount, NormPatterns, ShareFigure, SubjectChange,
    SubjectTrends, TermShare, ThemePattern, WeekBin, YearCount, YearNorms, TREND_FDR,
};

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{ApiError, Result};
use crate::search::table::DocumentTable;

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
