//! The outline (bookmarks) of a PDF, flattened: title, page and depth of every entry.
//!
//! Walked here rather than with lopdf's `get_toc`, whose `/Next` loop has no guard against a
//! cycle: every dictionary is visited once, depth and entry count are bounded, and anything
//! unreadable is skipped.

use std::collections::{HashMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId};

use woo_core::model::OutlineEntry;

/// At most this many entries are read.
const MAX_ENTRIES: usize = 10_000;
/// Entries deeper than this are not read.
const MAX_DEPTH: u32 = 16;
/// Named-destination trees deeper than this are not followed.
const MAX_NAME_TREE_DEPTH: usize = 16;

fn resolve<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    match object {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

fn dictionary<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Dictionary> {
    resolve(doc, object).and_then(|object| object.as_dict().ok())
}

/// The flattened outline; empty when the PDF has none or it cannot be read.
pub fn read_outline(doc: &Document) -> Vec<OutlineEntry> {
    let Ok(catalog) = doc.catalog() else {
        return Vec::new();
    };
    let Some(outlines) = catalog
        .get(b"Outlines")
        .ok()
        .and_then(|object| dictionary(doc, object))
    else {
        return Vec::new();
    };
    let Ok(first) = outlines.get(b"First") else {
        return Vec::new();
    };
    let page_numbers: HashMap<ObjectId, u32> = doc
        .get_pages()
        .into_iter()
        .map(|(number, id)| (id, number))
        .collect();
    let names = NamedDestinations::new(doc, catalog);
    let mut entries = Vec::new();
    let mut visited: HashSet<ObjectId> = HashSet::new();
    // Depth-first, in order: (item, depth); siblings are pushed as we go along `/Next`.
    let mut stack: Vec<(Object, u32)> = vec![(first.clone(), 0)];
    while let Some((object, depth)) = stack.pop() {
        if entries.len() >= MAX_ENTRIES {
            break;
        }
        if let Object::Reference(id) = object {
            if !visited.insert(id) {
                continue;
            }
        }
        let Some(item) = dictionary(doc, &object) else {
            continue;
        };
        // Push the next sibling first, so the children (pushed after) are read before it.
        if let Ok(next) = item.get(b"Next") {
            stack.push((next.clone(), depth));
        }
        if depth < MAX_DEPTH {
            if let Ok(child) = item.get(b"First") {
                stack.push((child.clone(), depth + 1));
            }
        }
        let title = item
            .get(b"Title")
            .ok()
            .and_then(|title| resolve(doc, title))
            .and_then(|title| match title {
                Object::String(bytes, _) => Some(super::encoding::decode_text_string(bytes)),
                _ => None,
            })
            .map(|title| title.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        let Some(page) = destination_page(doc, item, &names, &page_numbers) else {
            continue;
        };
        entries.push(OutlineEntry {
            title,
            page,
            level: depth,
        });
    }
    entries
}

/// The page an outline item points to: its `/Dest`, or the `/D` of a `/GoTo` action `/A`.
fn destination_page(
    doc: &Document,
    item: &Dictionary,
    names: &NamedDestinations,
    page_numbers: &HashMap<ObjectId, u32>,
) -> Option<u32> {
    let destination = match item.get(b"Dest") {
        Ok(destination) => destination,
        Err(_) => {
            let action = dictionary(doc, item.get(b"A").ok()?)?;
            action.get(b"D").ok()?
        }
    };
    let destination = resolve(doc, destination)?;
    let array = match destination {
        Object::Array(array) => array.clone(),
        Object::Name(name) => names.lookup(name)?,
        Object::String(name, _) => names.lookup(name)?,
        Object::Dictionary(dictionary) => {
            match dictionary.get(b"D").ok().and_then(|d| resolve(doc, d)) {
                Some(Object::Array(array)) => array.clone(),
                _ => return None,
            }
        }
        _ => return None,
    };
    match array.first()? {
        Object::Reference(page_id) => page_numbers.get(page_id).copied(),
        // Some producers write a page index (0-based) instead of a reference.
        Object::Integer(index) => u32::try_from(*index).ok().map(|index| index + 1),
        _ => None,
    }
}

/// Named destinations: the catalog's `/Dests` dictionary and the `/Names` `/Dests` name tree.
struct NamedDestinations {
    destinations: HashMap<Vec<u8>, Vec<Object>>,
}

impl NamedDestinations {
    fn new(doc: &Document, catalog: &Dictionary) -> NamedDestinations {
        let mut destinations = HashMap::new();
        if let Some(dests) = catalog
            .get(b"Dests")
            .ok()
            .and_then(|object| dictionary(doc, object))
        {
            for (name, value) in dests.iter() {
                if let Some(array) = destination_array(doc, value) {
                    destinations.insert(name.clone(), array);
                }
            }
        }
        let tree = catalog
            .get(b"Names")
            .ok()
            .and_then(|object| dictionary(doc, object))
            .and_then(|names| names.get(b"Dests").ok())
            .and_then(|object| dictionary(doc, object));
        if let Some(tree) = tree {
            let mut visited = HashSet::new();
            read_name_tree(doc, tree, 0, &mut visited, &mut destinations);
        }
        NamedDestinations { destinations }
    }

    fn lookup(&self, name: &[u8]) -> Option<Vec<Object>> {
        self.destinations.get(name).cloned()
    }
}

/// A destination value: an array, or a dictionary whose `/D` is one.
fn destination_array(doc: &Document, value: &Object) -> Option<Vec<Object>> {
    match resolve(doc, value)? {
        Object::Array(array) => Some(array.clone()),
        Object::Dictionary(dictionary) => match resolve(doc, dictionary.get(b"D").ok()?)? {
            Object::Array(array) => Some(array.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn read_name_tree(
    doc: &Document,
    node: &Dictionary,
    depth: usize,
    visited: &mut HashSet<*const Dictionary>,
    destinations: &mut HashMap<Vec<u8>, Vec<Object>>,
) {
    if depth > MAX_NAME_TREE_DEPTH
        || destinations.len() >= MAX_ENTRIES
        || !visited.insert(node as *const Dictionary)
    {
        return;
    }
    if let Some(Object::Array(pairs)) = node.get(b"Names").ok().and_then(|o| resolve(doc, o)) {
        for pair in pairs.chunks(2) {
            let [key, value] = pair else {
                continue;
            };
            let Some(Object::String(name, _)) = resolve(doc, key) else {
                continue;
            };
            if let Some(array) = destination_array(doc, value) {
                destinations.insert(name.clone(), array);
            }
        }
    }
    if let Some(Object::Array(kids)) = node.get(b"Kids").ok().and_then(|o| resolve(doc, o)) {
        for kid in kids {
            if let Some(kid) = dictionary(doc, kid) {
                read_name_tree(doc, kid, depth + 1, visited, destinations);
            }
        }
    }
}
