//! The complaint patterns over HTTP (`GET /api/complaints/stats`, the `/complaints` page):
//! query-string pairs -> [`ComplaintQuery`] (the search's own parameters plus `group`,
//! `format` and `section`), the run on the search service -> [`ComplaintAnswer`], and each
//! section of it as CSV ([`section_csv`]).

use std::collections::BTreeMap;
use std::time::Instant;

use serde::Serialize;

use crate::error::{ApiError, Result};
use crate::export::csv_cell;
use crate::params::search_request_from_pairs;
use crate::search::{
    complaint_patterns, complaint_stats, ComplaintGroup, ComplaintPatterns, FacetCount, LinkBase,
    SearchLink, SearchRequest, SearchService, COMPLAINT_GROUP_KEYS, MAX_FACET_SIZE,
};
use crate::statistics::Interval;

/// The sections `format=csv&section=` exports.
pub const COMPLAINT_SECTIONS: &[&str] = &[
    "groups",
    "per_body",
    "per_body_year",
    "per_year",
    "handling",
    "norms",
    "norms_per_body",
    "norms_per_year",
    "subject_trends",
    "themes",
];

/// The answer's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsFormat {
    /// Every section as one JSON object.
    Json,
    /// One section as CSV.
    Csv,
}

/// A parsed complaint-statistics request.
#[derive(Debug, Clone)]
pub struct ComplaintQuery {
    /// The search whose judgements are counted (category fixed to `2l`).
    pub request: SearchRequest,
    /// `group=` keys (none: no `groups`).
    pub group_keys: Vec<String>,
    /// JSON or CSV.
    pub format: StatsFormat,
    /// The CSV section.
    pub section: Option<String>,
    /// The search behind every figure.
    pub links: LinkBase,
}

/// The complaint statistics of one search.
#[derive(Debug, Clone, Serialize)]
pub struct ComplaintAnswer {
    /// Complaint judgements the search matches.
    pub total: usize,
    /// Judgements counted per `group=` key values, largest first (empty without `group`).
    pub groups: Vec<ComplaintGroup>,
    /// The search of all of them.
    pub link: SearchLink,
    /// Every figure.
    #[serde(flatten)]
    pub patterns: ComplaintPatterns,
    /// Milliseconds the statistics took on the server.
    pub took_ms: f64,
    /// The search's facet counts (for the page's form; not in the JSON).
    #[serde(skip)]
    pub facets: BTreeMap<String, Vec<FacetCount>>,
}

/// Parses the pairs of a complaint-statistics request; `extra_allowed` names parameters the
/// caller handles itself (the page's `lang`).
pub fn complaint_query_from_pairs(
    pairs: &[(String, String)],
    extra_allowed: &[&str],
) -> Result<ComplaintQuery> {
    let mut group_keys = Vec::new();
    let mut format: Option<StatsFormat> = None;
    let mut section: Option<String> = None;
    let mut search_pairs: Vec<(String, String)> = Vec::new();
    for (name, value) in pairs {
        match name.as_str() {
            "group" => group_keys.extend(parse_group_keys(value)?),
            "format" if format.is_some() => return Err(given_twice("format")),
            "format" => format = Some(parse_format(value)?),
            "section" if section.is_some() => return Err(given_twice("section")),
            "section" => section = Some(parse_section(value)?),
            _ => search_pairs.push((name.clone(), value.clone())),
        }
    }
    let format = format.unwrap_or(StatsFormat::Json);
    if format == StatsFormat::Csv && section.is_none() {
        return Err(ApiError::invalid(
            "section",
            format!(
                "format=csv needs a section: {}",
                COMPLAINT_SECTIONS.join(", ")
            ),
        ));
    }
    if format == StatsFormat::Json && section.is_some() {
        return Err(ApiError::invalid("section", "section goes with format=csv"));
    }
    let mut request = search_request_from_pairs(&search_pairs, extra_allowed)?;
    request.filters.insert(
        "category".to_string(),
        vec![woo_core::woo::COMPLAINT_CATEGORY.to_string()],
    );
    if request.facet_size == 0 {
        request.facet_size = MAX_FACET_SIZE;
    }
    Ok(ComplaintQuery {
        request,
        group_keys,
        format,
        section,
        links: LinkBase::from_pairs(&search_pairs),
    })
}

fn given_twice(name: &str) -> ApiError {
    ApiError::invalid(name, format!("parameter {name:?} is given more than once"))
}

/// `group=publisher,outcome`: keys separated by single commas (spaces around a key allowed).
fn parse_group_keys(value: &str) -> Result<Vec<String>> {
    let mut keys = Vec::new();
    for key in value.split(',') {
        let key = key.trim_matches(' ');
        if key.is_empty() {
            return Err(ApiError::invalid(
                "group",
                format!(
                    "group takes keys separated by single commas, e.g. publisher,outcome; keys are {}",
                    COMPLAINT_GROUP_KEYS.join(", ")
                ),
            ));
        }
        if !COMPLAINT_GROUP_KEYS.contains(&key) {
            return Err(ApiError::invalid(
                "group",
                format!(
                    "cannot group by {key:?}; group by {}",
                    COMPLAINT_GROUP_KEYS.join(", ")
                ),
            ));
        }
        keys.push(key.to_string());
    }
    Ok(keys)
}

fn parse_format(value: &str) -> Result<StatsFormat> {
    match value {
        "" | "json" => Ok(StatsFormat::Json),
        "csv" => Ok(StatsFormat::Csv),
        other => Err(ApiError::invalid(
            "format",
            format!("format must be json or csv, not {other:?}"),
        )),
    }
}

fn parse_section(value: &str) -> Result<String> {
    if COMPLAINT_SECTIONS.contains(&value) {
        return Ok(value.to_string());
    }
    Err(ApiError::invalid(
        "section",
        format!(
            "section must be one of {}, not {value:?}",
            COMPLAINT_SECTIONS.join(", ")
        ),
    ))
}

/// Runs a complaint-statistics request (blocking: call it in `spawn_blocking`).
pub fn complaint_answer(search: &SearchService, query: &ComplaintQuery) -> Result<ComplaintAnswer> {
    let started = Instant::now();
    let matching = search.matching_documents(&query.request)?;
    let groups = if query.group_keys.is_empty() {
        Vec::new()
    } else {
        complaint_stats(&matching.table, &matching.positions, &query.group_keys)?
    };
    let patterns = complaint_patterns(&matching.table, &matching.positions, &query.links);
    Ok(ComplaintAnswer {
        total: patterns.national.judgements,
        groups,
        link: query.links.all(),
        patterns,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        facets: matching.facets,
    })
}

/// One CSV line of cells (already quoted or numbers), with its line end.
fn csv_line(cells: &[String]) -> String {
    format!("{}\r\n", cells.join(","))
}

fn text(value: &str) -> String {
    csv_cell(value)
}

fn number(value: f64) -> String {
    format!("{value:.6}")
}

fn optional_number(value: Option<f64>) -> String {
    value.map(number).unwrap_or_default()
}

fn interval_cells(interval: Option<Interval>) -> [String; 2] {
    [
        optional_number(interval.map(|interval| interval.low)),
        optional_number(interval.map(|interval| interval.high)),
    ]
}

/// One section of the answer as CSV (header row first), each row with its search link.
pub fn section_csv(answer: &ComplaintAnswer, section: &str) -> String {
    match section {
        "groups" => groups_csv(answer),
        "per_body" => per_body_csv(answer),
        "per_body_year" => per_body_year_csv(answer),
        "per_year" => per_year_csv(answer),
        "handling" => handling_csv(answer),
        "norms" | "norms_per_body" | "norms_per_year" => norms_csv(answer, section),
        "subject_trends" => trends_csv(answer),
        _ => themes_csv(answer),
    }
}

fn groups_csv(answer: &ComplaintAnswer) -> String {
    let keys: Vec<String> = answer
        .groups
        .first()
        .map(|group| group.key.keys().cloned().collect())
        .unwrap_or_default();
    let mut header: Vec<String> = keys.iter().map(|key| text(key)).collect();
    header.push("count".to_string());
    let mut csv = csv_line(&header);
    for group in &answer.groups {
        let mut cells: Vec<String> = group
            .key
            .values()
            .map(|value| text(value.as_deref().unwrap_or("")))
            .collect();
        cells.push(group.count.to_string());
        csv.push_str(&csv_line(&cells));
    }
    csv
}

fn per_body_csv(answer: &ComplaintAnswer) -> String {
    let mut csv = csv_line(&[
        "publisher,judgements,well_founded,share,interval_low,interval_high,national_share,\
compared_to_national,handling_counted,median_days,past_6_weeks,past_6_weeks_share,\
past_10_weeks,past_10_weeks_share,link,api_link"
            .to_string(),
    ]);
    let national = optional_number(answer.patterns.national.share);
    for body in &answer.patterns.per_body {
        let [low, high] = interval_cells(body.share.interval);
        let handling = &body.handling;
        csv.push_str(&csv_line(&[
            text(&body.publisher),
            body.share.judgements.to_string(),
            body.share.well_founded.to_string(),
            optional_number(body.share.share),
            low,
            high,
            national.clone(),
            body.compared_to_national.to_string(),
            handling.counted.to_string(),
            optional_number(handling.median_days),
            handling.past_legal_term.count.to_string(),
            optional_number(handling.past_legal_term.share),
            handling.past_adjourned_term.count.to_string(),
            optional_number(handling.past_adjourned_term.share),
            text(&body.share.link.html),
            text(&body.share.link.api),
        ]));
    }
    csv
}

fn per_body_year_csv(answer: &ComplaintAnswer) -> String {
    let mut csv = csv_line(&["publisher,year,judgements,well_founded,link,api_link".to_string()]);
    for body in &answer.patterns.per_body {
        for year in &body.years {
            csv.push_str(&csv_line(&[
                text(&body.publisher),
                year.year.clone(),
                year.judgements.to_string(),
                year.well_founded.to_string(),
                text(&year.link.html),
                text(&year.link.api),
            ]));
        }
    }
    csv
}

fn per_year_csv(answer: &ComplaintAnswer) -> String {
    let mut csv = csv_line(&["year,judgements,well_founded,link,api_link".to_string()]);
    for year in &answer.patterns.per_year {
        csv.push_str(&csv_line(&[
            year.year.clone(),
            year.judgements.to_string(),
            year.well_founded.to_string(),
            text(&year.link.html),
            text(&year.link.api),
        ]));
    }
    csv
}

fn handling_csv(answer: &ComplaintAnswer) -> String {
    let mut csv = csv_line(&["from_week,to_week,count,link,api_link".to_string()]);
    for bin in &answer.patterns.handling.weeks {
        csv.push_str(&csv_line(&[
            bin.from_week.to_string(),
            bin.to_week.map(|week| week.to_string()).unwrap_or_default(),
            bin.count.to_string(),
            text(&bin.link.html),
            text(&bin.link.api),
        ]));
    }
    csv
}

fn norms_csv(answer: &ComplaintAnswer, section: &str) -> String {
    let norms = &answer.patterns.norms;
    let mut rows: Vec<(String, &crate::search::NormCount)> = Vec::new();
    match section {
        "norms" => rows.extend(norms.overall.iter().map(|norm| (String::new(), norm))),
        "norms_per_body" => {
            for body in &norms.per_body {
                rows.extend(body.norms.iter().map(|norm| (body.publisher.clone(), norm)));
            }
        }
        _ => {
            for year in &norms.per_year {
                rows.extend(year.norms.iter().map(|norm| (year.year.clone(), norm)));
            }
        }
    }
    let group = match section {
        "norms_per_body" => "publisher,",
        "norms_per_year" => "year,",
        _ => "",
    };
    let mut csv = csv_line(&[format!(
        "{group}number,norm,core_value,cited,violated,cited_link,violated_link"
    )]);
    for (key, norm) in rows {
        let mut cells = Vec::new();
        if !group.is_empty() {
            cells.push(text(&key));
        }
        cells.extend([
            norm.number.to_string(),
            text(&norm.name),
            text(&norm.core_value),
            norm.cited.to_string(),
            norm.violated.to_string(),
            text(&norm.cited_link.html),
            text(&norm.violated_link.html),
        ]);
        csv.push_str(&csv_line(&cells));
    }
    csv
}

fn trends_csv(answer: &ComplaintAnswer) -> String {
    let trends = &answer.patterns.subject_trends;
    let mut csv = csv_line(&[
        "direction,subject,year,count,total,previous_year,previous_count,previous_total,share,\
previous_share,z,p,q_value,link"
            .to_string(),
    ]);
    let rising = trends.rising.iter().map(|change| ("rising", change));
    let falling = trends.falling.iter().map(|change| ("falling", change));
    for (direction, change) in rising.chain(falling) {
        csv.push_str(&csv_line(&[
            direction.to_string(),
            text(&change.subject),
            change.year.clone(),
            change.count.to_string(),
            change.total.to_string(),
            change.previous_year.clone(),
            change.previous_count.to_string(),
            change.previous_total.to_string(),
            number(change.share),
            number(change.previous_share),
            number(change.z),
            format!("{:e}", change.p),
            format!("{:e}", change.q_value),
            text(&change.link.html),
        ]));
    }
    csv
}

fn themes_csv(answer: &ComplaintAnswer) -> String {
    let mut csv = csv_line(&["theme,judgements,terms,example_ids,link,api_link".to_string()]);
    for theme in &answer.patterns.themes {
        let examples: Vec<&str> = theme
            .examples
            .iter()
            .map(|example| example.id.as_str())
            .collect();
        csv.push_str(&csv_line(&[
            text(&theme.theme),
            theme.judgements.to_string(),
            text(&theme.terms.join("; ")),
            text(&examples.join("; ")),
            text(&theme.link.html),
            text(&theme.link.api),
        ]));
    }
    csv
}
