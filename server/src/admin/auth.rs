//! Bearer tokens: the configured tokens with their scopes (from `WOO_ADMIN_TOKEN` and a
//! tokens file) and [`authorize`], which every admin route calls first.
//!
//! Tokens come only from the `Authorization: Bearer` header. Every presented token is hashed
//! (SHA-256) and compared with every configured token's hash in constant time ([`subtle`]),
//! so neither the position of a mismatch nor the token's length shows in the timing. A
//! missing and a wrong token get the same 401 answer.

use std::path::Path;
use std::sync::Arc;

use axum::http::{header, HeaderMap};
use serde::Serialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{AdminRouteState, AdminState};
use crate::error::{ApiError, Result};

/// Environment variable holding one admin token with every scope.
pub const ADMIN_TOKEN_ENV: &str = "WOO_ADMIN_TOKEN";
/// Shortest accepted token, in bytes.
pub const MIN_TOKEN_LENGTH: usize = 16;

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Upload publications and read upload jobs.
    Load,
    /// Retract documents and publications.
    Retract,
}

impl Scope {
    fn parse(text: &str) -> Option<Scope> {
        match text.trim() {
            "load" => Some(Scope::Load),
            "retract" => Some(Scope::Retract),
            _ => None,
        }
    }
}

/// One configured token: its name (the actor in tombstones), scopes, and SHA-256 digest.
#[derive(Clone)]
struct AdminToken {
    name: String,
    scopes: Vec<Scope>,
    digest: [u8; 32],
}

/// The configured admin tokens.
#[derive(Default, Clone)]
pub struct TokenSet {
    tokens: Vec<AdminToken>,
}

fn token_digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

impl TokenSet {
    /// Adds a token; refuses short tokens.
    pub fn add(
        &mut self,
        name: &str,
        scopes: &[Scope],
        token: &str,
    ) -> std::result::Result<(), String> {
        if token.len() < MIN_TOKEN_LENGTH {
            return Err(format!(
                "token {name:?} is shorter than {MIN_TOKEN_LENGTH} characters"
            ));
        }
        self.tokens.push(AdminToken {
            name: name.to_string(),
            scopes: scopes.to_vec(),
            digest: token_digest(token),
        });
        Ok(())
    }

    /// Parses a tokens file: one token per line, `name:scope1,scope2:token`; blank lines and
    /// lines starting with `#` are ignored.
    pub fn parse_tokens_file(text: &str) -> std::result::Result<TokenSet, String> {
        let mut set = TokenSet::default();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.splitn(3, ':');
            let (Some(name), Some(scopes_text), Some(token)) =
                (parts.next(), parts.next(), parts.next())
            else {
                return Err(format!(
                    "line {}: expected name:scope1,scope2:token",
                    number + 1
                ));
            };
            let mut scopes = Vec::new();
            for scope_text in scopes_text.split(',') {
                let Some(scope) = Scope::parse(scope_text) else {
                    return Err(format!(
                        "line {}: unknown scope {scope_text:?} (known: load, retract)",
                        number + 1
                    ));
                };
                scopes.push(scope);
            }
            set.add(name.trim(), &scopes, token.trim())
                .map_err(|error| format!("line {}: {error}", number + 1))?;
        }
        Ok(set)
    }

    /// The tokens of `WOO_ADMIN_TOKEN` (name `admin`, every scope) and of a tokens file.
    pub fn from_sources(
        environment_token: Option<&str>,
        tokens_file: Option<&Path>,
    ) -> std::result::Result<TokenSet, String> {
        let mut set = match tokens_file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
                TokenSet::parse_tokens_file(&text)
                    .map_err(|error| format!("{}: {error}", path.display()))?
            }
            None => TokenSet::default(),
        };
        if let Some(token) = environment_token.filter(|token| !token.is_empty()) {
            set.add("admin", &[Scope::Load, Scope::Retract], token)
                .map_err(|error| format!("{ADMIN_TOKEN_ENV}: {error}"))?;
        }
        Ok(set)
    }

    /// Whether no token is configured (then the admin API is off).
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The token matching `presented`, compared in constant time with every token.
    fn authenticate(&self, presented: &str) -> Option<&AdminToken> {
        let presented_digest = token_digest(presented);
        let mut found = None;
        for token in &self.tokens {
            let equal: bool = token.digest.ct_eq(&presented_digest).into();
            if equal && found.is_none() {
                found = Some(token);
            }
        }
        found
    }
}

/// The token of an `Authorization` header value `Bearer TOKEN`, the scheme matched
/// case-insensitively (RFC 9110 §11.1: `bearer`, `BEARER` alike), or `None` for another scheme.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_start().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    Some(token.trim())
}

/// Checks the bearer token and scope; returns the admin state and the token's name.
pub(super) fn authorize(
    state: &AdminRouteState,
    headers: &HeaderMap,
    scope: Scope,
) -> Result<(Arc<AdminState>, String)> {
    let Some(admin) = state.admin.clone() else {
        return Err(ApiError::Unauthenticated);
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(bearer_token)
        .unwrap_or("");
    let Some(token) = admin.config.tokens.authenticate(presented) else {
        return Err(ApiError::Unauthenticated);
    };
    if !token.scopes.contains(&scope) {
        return Err(ApiError::Forbidden(format!(
            "token {:?} lacks the {:?} scope",
            token.name,
            match scope {
                Scope::Load => "load",
                Scope::Retract => "retract",
            }
        )));
    }
    let name = token.name.clone();
    Ok((admin, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_file_lines_parse_with_scopes() {
        let set = TokenSet::parse_tokens_file(
            "# comment\n\nladen:load:0123456789abcdef0123\nintrekken:retract,load:abcdefabcdefabcdef:with:colons\n",
        )
        .unwrap();
        let loader = set.authenticate("0123456789abcdef0123").unwrap();
        assert_eq!(loader.name, "laden");
        assert_eq!(loader.scopes, vec![Scope::Load]);
        let retracter = set.authenticate("abcdefabcdefabcdef:with:colons").unwrap();
        assert_eq!(retracter.scopes, vec![Scope::Retract, Scope::Load]);
        assert!(set.authenticate("0123456789abcdef012").is_none());
        assert!(set.authenticate("").is_none());
    }

    #[test]
    fn the_bearer_scheme_is_matched_case_insensitively() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer abc"), Some("abc"));
        assert_eq!(bearer_token("BEARER  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearerabc"), None);
        assert_eq!(bearer_token("Bearer"), None);
    }

    #[test]
    fn tokens_file_refuses_short_tokens_and_unknown_scopes() {
        assert!(TokenSet::parse_tokens_file("a:load:short").is_err());
        assert!(TokenSet::parse_tokens_file("a:delete:0123456789abcdef0123").is_err());
        assert!(TokenSet::parse_tokens_file("only-a-name").is_err());
    }
}
