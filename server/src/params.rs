//! Query-string -> typed [`SearchRequest`], strictly: unknown parameters, repeated single
//! parameters, invalid UTF-8 and malformed numbers or dates are 400s naming the parameter.

use std::collections::BTreeMap;

use crate::error::{ApiError, Result};
use crate::search::{SearchRequest, SortOrder, FACET_NAMES, MAX_FACET_VALUES};

// Date parsing lives in `crate::dates` (the query language's `date:` reads dates the same way);
// kept here under its old path.
pub use crate::dates::parse_date_param;

/// Default results per page.
pub const DEFAULT_PAGE_SIZE: usize = 10;

/// Parameters accepted besides the facets.
const SINGLE_PARAMETERS: &[&str] = &[
    "q",
    "page",
    "size",
    "sort",
    "from",
    "to",
    "decided_from",
    "decided_to",
    "facet_size",
    "histogram",
    "group",
    "collapse",
];

/// Splits a raw query string into decoded (name, value) pairs; `+` is a space.
pub fn decode_pairs(raw: &str) -> Result<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for part in raw.split('&') {
        if part.is_empty() {
            continue;
        }
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        let name = decode_component(name, "query string")?;
        let value = decode_component(value, &name)?;
        pairs.push((name, value));
    }
    Ok(pairs)
}

fn decode_component(component: &str, param: &str) -> Result<String> {
    let with_spaces = component.replace('+', " ");
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(&with_spaces).collect();
    String::from_utf8(bytes).map_err(|_| ApiError::InvalidEncoding {
        param: param.to_string(),
    })
}

/// Parameters that take a number; in a JSON body they may be a JSON number.
const NUMBER_PARAMETERS: &[&str] = &["page", "size", "facet_size"];

/// A `POST /api/search` JSON body -> (name, value) pairs, the same the query string would
/// give: `{"q": "mondkapjes", "size": 20, "publisher": ["A", "B"]}` is
/// `q=mondkapjes&size=20&publisher=A&publisher=B`. Values are strings; `page`, `size` and
/// `facet_size` may be numbers; a facet may be a list of strings. Anything else (a number
/// for `q`, a list for `sort`) is a 400 naming the parameter. The pairs then go through the
/// same strict [`search_request_from_pairs`].
pub fn pairs_from_json(body: &[u8]) -> Result<Vec<(String, String)>> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|error| ApiError::InvalidJson(format!("the body is not valid JSON: {error}")))?;
    let serde_json::Value::Object(object) = value else {
        return Err(ApiError::InvalidJson(
            "the body must be a JSON object of search parameters, e.g. {\"q\": \"mondkapjes\"}"
                .to_string(),
        ));
    };
    let mut pairs = Vec::new();
    for (name, value) in object {
        let is_facet = FACET_NAMES.contains(&name.as_str());
        let values = match value {
            serde_json::Value::Array(items) if is_facet => items,
            serde_json::Value::Array(_) => {
                return Err(ApiError::invalid(
                    &name,
                    format!("{name} takes one value, not a list"),
                ))
            }
            single => vec![single],
        };
        for item in values {
            pairs.push((name.clone(), json_parameter_text(&name, item)?));
        }
    }
    Ok(pairs)
}

/// The text of one JSON value of parameter `name`: a string, or for [`NUMBER_PARAMETERS`] a
/// number.
fn json_parameter_text(name: &str, item: serde_json::Value) -> Result<String> {
    match item {
        serde_json::Value::String(text) => Ok(text),
        serde_json::Value::Number(number) if NUMBER_PARAMETERS.contains(&name) => {
            Ok(number.to_string())
        }
        _ if NUMBER_PARAMETERS.contains(&name) => Err(ApiError::invalid(
            name,
            format!("{name} must be a number or a string of digits"),
        )),
        _ => Err(ApiError::invalid(name, format!("{name} must be a string"))),
    }
}

/// A number written as ASCII digits only (no sign, no spaces).
fn parse_positive(param: &str, value: &str) -> Result<usize> {
    let digits_only = !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit());
    let parsed = if digits_only {
        value.parse::<usize>().ok()
    } else {
        None
    };
    parsed.ok_or_else(|| {
        ApiError::invalid(
            param,
            format!("{param} must be a positive whole number, not {value:?}"),
        )
    })
}

/// Builds a search request from decoded pairs. `extra_allowed` names parameters a caller
/// (the HTML page) handles itself.
pub fn search_request_from_pairs(
    pairs: &[(String, String)],
    extra_allowed: &[&str],
) -> Result<SearchRequest> {
    let mut request = SearchRequest {
        page: 1,
        size: DEFAULT_PAGE_SIZE,
        ..SearchRequest::default()
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut filters: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut facet_values_given: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, value) in pairs {
        let name = name.as_str();
        if SINGLE_PARAMETERS.contains(&name) {
            if seen.contains(&name) {
                return Err(ApiError::invalid(
                    name,
                    format!("parameter {name:?} is given more than once"),
                ));
            }
            seen.push(name);
        }
        if apply_single_parameter(&mut request, name, value)? {
            continue;
        }
        if FACET_NAMES.contains(&name) {
            // Empty values (an HTML form's empty field) select nothing, but count towards
            // the limit of values a facet takes.
            let given = facet_values_given.entry(name).or_insert(0);
            *given += 1;
            if *given > MAX_FACET_VALUES {
                return Err(ApiError::InvalidFacet {
                    param: name.to_string(),
                    message: format!("more than {MAX_FACET_VALUES} values for facet {name:?}"),
                });
            }
            if !value.is_empty() {
                filters
                    .entry(name.to_string())
                    .or_default()
                    .push(value.clone());
            }
            continue;
        }
        if extra_allowed.contains(&name) {
            continue;
        }
        return Err(ApiError::InvalidFacet {
            param: name.to_string(),
            message: format!(
                "unknown parameter {name:?}; facets are {}",
                FACET_NAMES.join(", ")
            ),
        });
    }
    request.filters = filters;
    request.validate()?;
    Ok(request)
}

/// Sets the field of `request` that the single parameter `name` gives; `false` when `name`
/// is not one of [`SINGLE_PARAMETERS`]. An empty date means no bound.
fn apply_single_parameter(request: &mut SearchRequest, name: &str, value: &str) -> Result<bool> {
    match name {
        "q" => request.query = value.to_string(),
        "page" => request.page = parse_positive("page", value)?,
        "size" => request.size = parse_positive("size", value)?,
        "sort" => request.sort = parse_sort(value)?,
        "facet_size" => {
            request.facet_size = parse_positive("facet_size", value)?;
            if request.facet_size == 0 {
                return Err(ApiError::invalid(
                    "facet_size",
                    "facet_size must be 1 or more",
                ));
            }
        }
        "group" => request.group_by_publication = parse_group(value)?,
        "collapse" => request.collapse_duplicates = parse_collapse(value)?,
        "histogram" => request.month_histogram = parse_histogram(value)?,
        "from" | "to" | "decided_from" | "decided_to" if value.is_empty() => {}
        "from" => request.from_days = Some(parse_date_param("from", value, false)?),
        "to" => request.to_days = Some(parse_date_param("to", value, true)?),
        "decided_from" => {
            request.decided_from_days = Some(parse_date_param("decided_from", value, false)?)
        }
        "decided_to" => {
            request.decided_to_days = Some(parse_date_param("decided_to", value, true)?)
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// `sort`: relevance (the default), date (newest first) or date_asc.
fn parse_sort(value: &str) -> Result<SortOrder> {
    match value {
        "" | "relevance" => Ok(SortOrder::Relevance),
        "date" | "-date" | "date_desc" => Ok(SortOrder::DateNewestFirst),
        "+date" | "date_asc" => Ok(SortOrder::DateOldestFirst),
        other => Err(ApiError::invalid(
            "sort",
            format!("sort must be relevance, date (newest first) or date_asc, not {other:?}"),
        )),
    }
}

/// `group`: document (the default) or publication; whether results are grouped by publication.
fn parse_group(value: &str) -> Result<bool> {
    match value {
        "" | "document" => Ok(false),
        "publication" => Ok(true),
        other => Err(ApiError::invalid(
            "group",
            format!("group must be document or publication, not {other:?}"),
        )),
    }
}

/// `collapse`: none (the default) or duplicates (one result per near-duplicate cluster).
fn parse_collapse(value: &str) -> Result<bool> {
    match value {
        "" | "none" => Ok(false),
        "duplicates" => Ok(true),
        other => Err(ApiError::invalid(
            "collapse",
            format!("collapse must be none or duplicates, not {other:?}"),
        )),
    }
}

/// `histogram`: year (the default) or month; whether the month histogram is counted.
fn parse_histogram(value: &str) -> Result<bool> {
    match value {
        "" | "year" => Ok(false),
        "month" => Ok(true),
        other => Err(ApiError::invalid(
            "histogram",
            format!("histogram must be year or month, not {other:?}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<SearchRequest> {
        search_request_from_pairs(&decode_pairs(raw)?, &[])
    }

    fn code(raw: &str) -> &'static str {
        match parse(raw) {
            Ok(_) => "ok",
            Err(error) => error.code(),
        }
    }

    #[test]
    fn a_full_request_parses() {
        let request = parse("q=mondkapjes+deal&page=2&size=20&sort=date&publisher=A&publisher=B&from=2021&to=2021-06").unwrap();
        assert_eq!(request.query, "mondkapjes deal");
        assert_eq!((request.page, request.size), (2, 20));
        assert_eq!(request.sort, SortOrder::DateNewestFirst);
        assert_eq!(request.filters["publisher"], vec!["A", "B"]);
        assert_eq!(
            request.from_days,
            Some(parse_date_param("from", "2021-01-01", false).unwrap())
        );
        assert_eq!(
            request.to_days,
            Some(parse_date_param("to", "2021-06-30", false).unwrap())
        );
    }

    #[test]
    fn bad_requests_get_their_codes() {
        assert_eq!(code("size=0"), "invalid_parameter");
        assert_eq!(code("size=101"), "invalid_parameter");
        assert_eq!(code("size=-1"), "invalid_parameter");
        assert_eq!(code("size=abc"), "invalid_parameter");
        assert_eq!(code("size=+5"), "invalid_parameter");
        assert_eq!(code("size=%205"), "invalid_parameter");
        assert_eq!(code("page=0"), "invalid_parameter");
        assert_eq!(code("page=1001&size=10"), "result_window_too_large");
        assert_eq!(
            code("page=1000000000000&size=100"),
            "result_window_too_large"
        );
        assert_eq!(code("q=%FF%FE"), "invalid_encoding");
        assert_eq!(code("q=a&q=b"), "invalid_parameter");
        assert_eq!(code("facet.xyz=1"), "invalid_facet");
        assert_eq!(
            code(&format!("ground={}", "x".repeat(300))),
            "invalid_facet"
        );
        let many: Vec<String> = (0..21).map(|n| format!("ground=g{n}")).collect();
        assert_eq!(code(&many.join("&")), "invalid_facet");
        assert_eq!(code(&"text_source=&".repeat(21)), "invalid_facet");
        assert_eq!(code(&"text_source=&".repeat(20)), "ok");
        assert_eq!(code("from=2024-13-45"), "invalid_parameter");
        assert_eq!(code("from=2024-05-01&to=2024-01-01"), "invalid_parameter");
        assert_eq!(code("sort=random"), "invalid_parameter");
        assert_eq!(code("decided_from=2024-13"), "invalid_parameter");
        assert_eq!(
            code("decided_from=2024-05-01&decided_to=2024-01-01"),
            "invalid_parameter"
        );
        assert_eq!(code("decision=deels+openbaar&decided_to=2024"), "ok");
    }

    fn json_code(body: &str) -> &'static str {
        match pairs_from_json(body.as_bytes())
            .and_then(|pairs| search_request_from_pairs(&pairs, &[]))
        {
            Ok(_) => "ok",
            Err(error) => error.code(),
        }
    }

    #[test]
    fn json_bodies_take_numbers_only_where_numbers_are_meant() {
        assert_eq!(json_code(r#"{"q": "a", "size": 20, "page": "2"}"#), "ok");
        assert_eq!(
            json_code(r#"{"publisher": ["A", "B"], "year": "2021"}"#),
            "ok"
        );
        assert_eq!(json_code(r#"{"q": 5}"#), "invalid_parameter");
        assert_eq!(json_code(r#"{"year": 2021}"#), "invalid_parameter");
        assert_eq!(json_code(r#"{"publisher": [1]}"#), "invalid_parameter");
        assert_eq!(json_code(r#"{"q": ["a"]}"#), "invalid_parameter");
        assert_eq!(json_code(r#"{"size": [20]}"#), "invalid_parameter");
        assert_eq!(json_code(r#"{"size": true}"#), "invalid_parameter");
        assert_eq!(json_code(r#"{"size": 1.5}"#), "invalid_parameter");
        assert_eq!(json_code(r#"{"q": null}"#), "invalid_parameter");
        assert_eq!(json_code(r#"[1]"#), "invalid_json");
    }

    #[test]
    fn invalid_utf8_names_the_parameter() {
        let error = parse("q=%FF%FE").unwrap_err();
        assert!(error.to_string().contains("UTF-8"));
    }
}
