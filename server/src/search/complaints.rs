//! `GET /api/complaints/stats`: complaint judgements (category `2l`) of the document table
//! counted per group of [`COMPLAINT_GROUP_KEYS`] values.

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

/// Counts complaint judgements (category `2l`) grouped by `keys` (each one of
/// [`COMPLAINT_GROUP_KEYS`]), largest groups first.
pub fn complaint_stats(table: &DocumentTable, keys: &[String]) -> Result<Vec<ComplaintGroup>> {
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
    for (position, entry) in table.entries.iter().enumerate() {
        if entry.stored.fields.category.as_deref() != Some(woo_core::woo::COMPLAINT_CATEGORY) {
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
