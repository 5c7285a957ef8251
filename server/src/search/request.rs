//! A search request as the service takes it: [`SearchRequest`], its [`SortOrder`], the limits
//! a request must keep to, and [`SearchRequest::validate`], which checks them.

use std::collections::BTreeMap;

use crate::error::{ApiError, Result};
use crate::search::facets::FACET_NAMES;

/// Largest page size.
pub const MAX_PAGE_SIZE: usize = 100;
/// `page × size` may not exceed this (Elasticsearch's `max_result_window`).
pub const MAX_RESULT_WINDOW: usize = 10_000;
/// Most values selected in one facet.
pub const MAX_FACET_VALUES: usize = 20;
/// Longest facet value in bytes.
pub const MAX_FACET_VALUE_BYTES: usize = 256;
/// Largest `facet_size`.
pub const MAX_FACET_SIZE: usize = 100;

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Best match first (browse mode: newest first).
    #[default]
    Relevance,
    /// Newest first.
    DateNewestFirst,
    /// Oldest first.
    DateOldestFirst,
}

/// A validated search request.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The query text (empty or `*`: browse mode).
    pub query: String,
    /// 1-based result page.
    pub page: usize,
    /// Results per page.
    pub size: usize,
    /// Order.
    pub sort: SortOrder,
    /// Selected facet values by facet name.
    pub filters: BTreeMap<String, Vec<String>>,
    /// Earliest document date, days since 1970.
    pub from_days: Option<i64>,
    /// Latest document date, days since 1970.
    pub to_days: Option<i64>,
    /// Earliest decision date (decision letters), days since 1970.
    pub decided_from_days: Option<i64>,
    /// Latest decision date (decision letters), days since 1970.
    pub decided_to_days: Option<i64>,
    /// Values listed per facet (0: [`crate::search::DEFAULT_FACET_SIZE`]).
    pub facet_size: usize,
    /// `group=publication`: page through publications instead of documents.
    pub group_by_publication: bool,
    /// `collapse=duplicates`: one result per near-duplicate cluster.
    pub collapse_duplicates: bool,
    /// Whether the `month` histogram is counted (`histogram=month`); it is always counted when
    /// a month is selected.
    pub month_histogram: bool,
}

impl SearchRequest {
    /// Checks the paging window and filters; call before
    /// [`crate::search::SearchService::search`].
    pub fn validate(&self) -> Result<()> {
        if self.size == 0 || self.size > MAX_PAGE_SIZE {
            return Err(ApiError::invalid(
                "size",
                format!("size must be between 1 and {MAX_PAGE_SIZE}"),
            ));
        }
        if self.page == 0 {
            return Err(ApiError::invalid("page", "page must be 1 or more"));
        }
        if self.collapse_duplicates && self.group_by_publication {
            return Err(ApiError::invalid(
                "collapse",
                "collapse=duplicates cannot be combined with group=publication",
            ));
        }
        if self.page.saturating_mul(self.size) > MAX_RESULT_WINDOW {
            return Err(ApiError::ResultWindowTooLarge {
                page: self.page,
                size: self.size,
                limit: MAX_RESULT_WINDOW,
            });
        }
        for (name, values) in &self.filters {
            validate_filter(name, values)?;
        }
        if self.facet_size > MAX_FACET_SIZE {
            return Err(ApiError::invalid(
                "facet_size",
                format!("facet_size must be between 1 and {MAX_FACET_SIZE}"),
            ));
        }
        if let (Some(from), Some(to)) = (self.from_days, self.to_days) {
            if from > to {
                return Err(ApiError::invalid("from", "from is after to"));
            }
        }
        if let (Some(from), Some(to)) = (self.decided_from_days, self.decided_to_days) {
            if from > to {
                return Err(ApiError::invalid(
                    "decided_from",
                    "decided_from is after decided_to",
                ));
            }
        }
        Ok(())
    }

    /// Whether this is browse mode (no query text).
    pub fn is_browse(&self) -> bool {
        let trimmed = self.query.trim();
        trimmed.is_empty() || trimmed == "*"
    }

    /// Whether any date bound (document date or decision date) is set.
    pub(super) fn has_date_range(&self) -> bool {
        self.from_days.is_some()
            || self.to_days.is_some()
            || self.decided_from_days.is_some()
            || self.decided_to_days.is_some()
    }
}

/// Checks one facet selection: a known facet, not too many values, none too long.
fn validate_filter(name: &str, values: &[String]) -> Result<()> {
    if !FACET_NAMES.contains(&name) {
        return Err(ApiError::InvalidFacet {
            param: name.to_string(),
            message: format!("unknown facet {name:?}"),
        });
    }
    if values.len() > MAX_FACET_VALUES {
        return Err(ApiError::InvalidFacet {
            param: name.to_string(),
            message: format!("more than {MAX_FACET_VALUES} values for facet {name:?}"),
        });
    }
    if values
        .iter()
        .any(|value| value.len() > MAX_FACET_VALUE_BYTES)
    {
        return Err(ApiError::InvalidFacet {
            param: name.to_string(),
            message: format!(
                "a value of facet {name:?} is longer than {MAX_FACET_VALUE_BYTES} bytes"
            ),
        });
    }
    Ok(())
}
