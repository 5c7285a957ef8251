//! Small total accessors over lopdf objects: follow references (bounded), read numbers and
//! decompress streams within a size limit. None of them fails loudly: missing means `None`.

use lopdf::{Dictionary, Document, Object};

/// How many references in a row are followed before giving up (reference loops).
const MAX_REFERENCE_CHAIN: usize = 16;

/// The object `object` points to, following references; `Null` when missing or looping.
pub fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    let mut current = object;
    for _ in 0..MAX_REFERENCE_CHAIN {
        let Object::Reference(id) = current else {
            return current;
        };
        match doc.objects.get(id) {
            Some(next) => current = next,
            None => return &Object::Null,
        }
    }
    &Object::Null
}

/// The dictionary `object` is or points to (a stream's dictionary counts).
pub fn resolve_dict<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Dictionary> {
    match resolve(doc, object) {
        Object::Dictionary(dictionary) => Some(dictionary),
        Object::Stream(stream) => Some(&stream.dict),
        _ => None,
    }
}

/// The number `object` is or points to, if finite.
pub fn resolve_number(doc: &Document, object: &Object) -> Option<f32> {
    let value = match resolve(doc, object) {
        Object::Integer(value) => *value as f32,
        Object::Real(value) => *value,
        _ => return None,
    };
    value.is_finite().then_some(value)
}

/// The entry `key` of `dictionary`, resolved.
pub fn get<'a>(doc: &'a Document, dictionary: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dictionary.get(key).ok().map(|object| resolve(doc, object))
}

/// The decoded content of the stream `object` is or points to, at most `max_bytes` long.
/// A stream whose filters fail is read raw (unfiltered content is often still usable).
pub fn stream_content(doc: &Document, object: &Object, max_bytes: usize) -> Option<Vec<u8>> {
    let Object::Stream(stream) = resolve(doc, object) else {
        return None;
    };
    if stream.dict.get(b"Filter").is_err() {
        return (stream.content.len() <= max_bytes).then(|| stream.content.clone());
    }
    match stream.decompressed_content_with_limit(max_bytes) {
        Ok(data) => Some(data),
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => None,
        Err(_) => None,
    }
}

/// Reads a 6-number matrix array, if well formed.
pub fn matrix(doc: &Document, object: &Object) -> Option<[f32; 6]> {
    let Object::Array(items) = resolve(doc, object) else {
        return None;
    };
    if items.len() != 6 {
        return None;
    }
    let mut values = [0.0f32; 6];
    for (slot, item) in values.iter_mut().zip(items) {
        *slot = resolve_number(doc, item)?;
    }
    Some(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};

    #[test]
    fn reference_loops_resolve_to_null() {
        let mut doc = Document::with_version("1.5");
        let first = doc.new_object_id();
        let second = doc.new_object_id();
        doc.objects.insert(first, Object::Reference(second));
        doc.objects.insert(second, Object::Reference(first));
        assert_eq!(resolve(&doc, &Object::Reference(first)), &Object::Null);
        assert_eq!(resolve_number(&doc, &Object::Reference(first)), None);
    }

    #[test]
    fn streams_respect_the_size_limit() {
        let mut doc = Document::with_version("1.5");
        let mut stream = Stream::new(dictionary! {}, vec![b'a'; 10_000]);
        stream.compress().ok();
        let id = doc.add_object(stream);
        assert_eq!(
            stream_content(&doc, &Object::Reference(id), 20_000).map(|d| d.len()),
            Some(10_000)
        );
        assert_eq!(stream_content(&doc, &Object::Reference(id), 100), None);
    }

    #[test]
    fn matrices_need_six_numbers() {
        let doc = Document::with_version("1.5");
        let good = Object::Array(vec![
            1.into(),
            0.into(),
            0.into(),
            1.into(),
            5.into(),
            6.5.into(),
        ]);
        assert_eq!(matrix(&doc, &good), Some([1.0, 0.0, 0.0, 1.0, 5.0, 6.5]));
        let bad = Object::Array(vec![1.into(), 0.into()]);
        assert_eq!(matrix(&doc, &bad), None);
    }
}
