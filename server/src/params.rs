//! Query-string -> typed [`SearchRequest`], strictly: unknown parameters, repeated single
//! parameters, invalid UTF-8 and malformed numbers or dates are 400s naming the parameter.

use std::collections::BTreeMap;

use crate::error::{ApiError, Result};
use crate::search::{SearchRequest, SortOrder, FACET_NAMES};

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

/// A `POST /api/search` JSON body -> (name, value) pairs, the same the query string would
/// give: `{"q": "mondkapjes", "size": 20, "publisher": ["A", "B"]}` is
/// `q=mondkapjes&size=20&publisher=A&publisher=B`. Values are strings, numbers or lists of
/// them; the pairs then go through the same strict [`search_request_from_pairs`].
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
        let values = match value {
            serde_json::Value::Array(items) => items,
            single => vec![single],
        };
        for item in values {
            let text = match item {
                serde_json::Value::String(text) => text,
                serde_json::Value::Number(number) => number.to_string(),
                _ => {
                    return Err(ApiError::invalid(
                        &name,
                        format!("{name} must be a string, a number or a list of them"),
                    ))
                }
            };
            pairs.push((name.clone(), text));
        }
    }
    Ok(pairs)
}

/// Parses `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`) into days since 1970; `end` picks the last day.
pub fn parse_date_param(param: &str, value: &str, end: bool) -> Result<i64> {
    let invalid = || {
        ApiError::invalid(
            param,
            format!("{param} must be a date as YYYY-MM-DD, YYYY-MM or YYYY, not {value:?}"),
        )
    };
    let parts: Vec<&str> = value.split('-').collect();
    let year: i32 = parts
        .first()
        .filter(|part| part.len() == 4)
        .and_then(|part| part.parse().ok())
        .ok_or_else(invalid)?;
    let month: u8 = match parts.get(1) {
        Some(part) => part.parse().map_err(|_| invalid())?,
        None if end => 12,
        None => 1,
    };
    let month = time::Month::try_from(month).map_err(|_| invalid())?;
    let day: u8 = match parts.get(2) {
        Some(part) => part.parse().map_err(|_| invalid())?,
        None if end => time::util::days_in_month(month, year),
        None => 1,
    };
    if parts.len() > 3 {
        return Err(invalid());
    }
    let date = time::Date::from_calendar_date(year, month, day).map_err(|_| invalid())?;
    Ok(i64::from(date.to_julian_day()) - 2_440_588)
}

fn parse_positive(param: &str, value: &str) -> Result<usize> {
    value.trim().parse::<usize>().map_err(|_| {
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
        match name {
            "q" => request.query = value.clone(),
            "page" => request.page = parse_positive("page", value)?,
            "size" => request.size = parse_positive("size", value)?,
            "sort" => {
                request.sort = match value.as_str() {
                    "" | "relevance" => SortOrder::Relevance,
                    "date" | "-date" | "date_desc" => SortOrder::DateNewestFirst,
                    "+date" | "date_asc" => SortOrder::DateOldestFirst,
                    other => {
                        return Err(ApiError::invalid(
                            "sort",
                            format!(
                        "sort must be relevance, date (newest first) or date_asc, not {other:?}"
                    ),
                        ))
                    }
                }
            }
            "facet_size" => {
                request.facet_size = parse_positive("facet_size", value)?;
                if request.facet_size == 0 {
                    return Err(ApiError::invalid(
                        "facet_size",
                        "facet_size must be 1 or more",
                    ));
                }
            }
            "group" => {
                request.group_by_publication = match value.as_str() {
                    "" | "document" => false,
                    "publication" => true,
                    other => {
                        return Err(ApiError::invalid(
                            "group",
                            format!("group must be document or publication, not {other:?}"),
                        ))
                    }
                }
            }
            "histogram" => {
                request.month_histogram = match value.as_str() {
                    "" | "year" => false,
                    "month" => true,
                    other => {
                        return Err(ApiError::invalid(
                            "histogram",
                            format!("histogram must be year or month, not {other:?}"),
                        ))
                    }
                }
            }
            "from" if !value.is_empty() => {
                request.from_days = Some(parse_date_param("from", value, false)?)
            }
            "to" if !value.is_empty() => {
                request.to_days = Some(parse_date_param("to", value, true)?)
            }
            "decided_from" if !value.is_empty() => {
                request.decided_from_days = Some(parse_date_param("decided_from", value, false)?)
            }
            "decided_to" if !value.is_empty() => {
                request.decided_to_days = Some(parse_date_param("decided_to", value, true)?)
            }
            "from" | "to" | "decided_from" | "decided_to" => {}
            facet if FACET_NAMES.contains(&facet) => {
                if !value.is_empty() {
                    filters
                        .entry(facet.to_string())
                        .or_default()
                        .push(value.clone());
                }
            }
            other if extra_allowed.contains(&other) => {}
            other => {
                return Err(ApiError::InvalidFacet {
                    param: other.to_string(),
                    message: format!(
                        "unknown parameter {other:?}; facets are {}",
                        FACET_NAMES.join(", ")
                    ),
                })
            }
        }
    }
    request.filters = filters;
    request.validate()?;
    Ok(request)
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

    #[test]
    fn invalid_utf8_names_the_parameter() {
        let error = parse("q=%FF%FE").unwrap_err();
        assert!(error.to_string().contains("UTF-8"));
    }
}
