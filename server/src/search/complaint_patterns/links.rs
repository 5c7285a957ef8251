//! The searches behind the figures: [`LinkBase`] keeps a request's query, filters and date
//! range (category fixed to `2l`), and [`LinkBase::with`] gives the HTML page's `/?…` and the
//! JSON API's `/api/search?…` link of that search narrowed by some facet values.

use serde::Serialize;

use crate::search::facets::FACET_NAMES;

/// Parameters of a search that a link keeps besides the facets.
const KEPT_PARAMETERS: &[&str] = &["q", "from", "to", "decided_from", "decided_to"];

/// Everything but RFC 3986's unreserved characters is percent-encoded.
const URL_COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The search that produces a figure's judgements, as the HTML page and as the JSON API.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchLink {
    /// `/?category=2l&…`: the search page.
    pub html: String,
    /// `/api/search?category=2l&…`: the same search as JSON.
    pub api: String,
}

/// The parameters every link of one request starts from.
#[derive(Debug, Clone, Default)]
pub struct LinkBase {
    pairs: Vec<(String, String)>,
}

impl LinkBase {
    /// The query, facet selections and date bounds of `pairs` (decoded query-string pairs),
    /// with `category=2l` instead of any category selection; empty values are left out.
    pub fn from_pairs(pairs: &[(String, String)]) -> LinkBase {
        let mut kept: Vec<(String, String)> = vec![(
            "category".to_string(),
            woo_core::woo::COMPLAINT_CATEGORY.to_string(),
        )];
        for (name, value) in pairs {
            let keep = KEPT_PARAMETERS.contains(&name.as_str())
                || (FACET_NAMES.contains(&name.as_str()) && name != "category");
            if keep && !value.is_empty() {
                kept.push((name.clone(), value.clone()));
            }
        }
        LinkBase { pairs: kept }
    }

    /// The base search with `selections` (facet name, value) instead of the base's own
    /// selections of those facets.
    pub fn with(&self, selections: &[(&str, &str)]) -> SearchLink {
        let mut parts: Vec<String> = Vec::with_capacity(self.pairs.len() + selections.len());
        for (name, value) in &self.pairs {
            if selections.iter().any(|(selected, _)| selected == name) {
                continue;
            }
            parts.push(encoded_pair(name, value));
        }
        for (name, value) in selections {
            parts.push(encoded_pair(name, value));
        }
        let query = parts.join("&");
        SearchLink {
            html: format!("/?{query}"),
            api: format!("/api/search?{query}"),
        }
    }

    /// The base search itself.
    pub fn all(&self) -> SearchLink {
        self.with(&[])
    }

    /// The base pairs (for a form that keeps them).
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }
}

fn encoded_pair(name: &str, value: &str) -> String {
    format!(
        "{}={}",
        percent_encoding::utf8_percent_encode(name, URL_COMPONENT),
        percent_encoding::utf8_percent_encode(value, URL_COMPONENT)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn links_keep_the_search_and_replace_the_figure_facets() {
        let base = LinkBase::from_pairs(&pairs(&[
            ("q", "wachttijd"),
            ("category", "2a"),
            ("publisher", "Gemeente A"),
            ("publisher", "Gemeente B"),
            ("group", "publisher"),
            ("section", "per_body"),
            ("from", "2022"),
            ("outcome", ""),
        ]));
        let link = base.with(&[("publisher", "Gemeente A"), ("year", "2023")]);
        assert_eq!(
            link.html,
            "/?category=2l&q=wachttijd&from=2022&publisher=Gemeente%20A&year=2023"
        );
        assert_eq!(
            link.api,
            "/api/search?category=2l&q=wachttijd&from=2022&publisher=Gemeente%20A&year=2023"
        );
        assert_eq!(
            base.all().html,
            "/?category=2l&q=wachttijd&publisher=Gemeente%20A&publisher=Gemeente%20B&from=2022"
        );
    }
}
