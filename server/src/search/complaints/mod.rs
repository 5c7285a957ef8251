//! Complaint judgements (category `2l`) as the document table keeps them: the values of their
//! facets (`norm`, `violated_norm`, `handling_time`; `theme` comes from the themes) and the
//! [`ComplaintTable`] built with the document table. The figures of a search over them are
//! in `complaint_patterns`.
//!
//! Submodules, lowest first:
//! ```text
//! themes    tf-idf + spherical k-means over the judgements' words: recurring themes
//! facts     ComplaintTable: each judgement's body, year, outcome, handling time, norms,
//!           subject and theme as small integers, built with the document table -> themes
//! ```

mod facts;
mod themes;

pub use facts::{
    build_complaint_table, cited_norm_names, ComplaintTable, JudgementFacts, NOT_A_JUDGEMENT,
};
pub use themes::{find_themes, Theme, Themes};

use woo_core::complaints::{handling_days, ADJOURNED_TERM_DAYS, LEGAL_TERM_DAYS};
use woo_core::StoredDocument;

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
