//! A small RDF graph as DCAT needs it: nodes with an IRI (or blank), their types and their
//! properties, whose objects are IRIs, literals (plain, typed or in Spanish) or nested nodes;
//! and its JSON-LD, with the vocabularies' prefixes in the context.

use serde_json::{json, Map, Value};

/// The vocabularies used, by prefix.
pub const PREFIXES: [(&str, &str); 8] = [
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("hydra", "http://www.w3.org/ns/hydra/core#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
];

/// The language of the catalog's texts.
pub const LANGUAGE: &str = "es";

#[derive(Debug, Clone)]
pub enum Object {
    Iri(String),
    Plain(String),
    Spanish(String),
    Typed(String, &'static str),
    Node(Node),
}

#[derive(Debug, Clone)]
pub struct Node {
    /// `None` for a blank node.
    pub iri: Option<String>,
    pub kind: &'static str,
    pub properties: Vec<(&'static str, Object)>,
}

impl Node {
    pub fn iri(iri: &str, kind: &'static str) -> Node {
        Node {
            iri: Some(iri.to_owned()),
            kind,
            properties: Vec::new(),
        }
    }

    pub fn blank(kind: &'static str) -> Node {
        Node {
            iri: None,
            kind,
            properties: Vec::new(),
        }
    }

    pub fn object(mut self, property: &'static str, object: Object) -> Node {
        self.properties.push((property, object));
        self
    }

    pub fn iri_prop(self, property: &'static str, iri: String) -> Node {
        self.object(property, Object::Iri(iri))
    }

    pub fn plain(self, property: &'static str, text: String) -> Node {
        self.object(property, Object::Plain(text))
    }

    pub fn lang(self, property: &'static str, text: impl Into<String>) -> Node {
        self.object(property, Object::Spanish(text.into()))
    }

    pub fn typed(self, property: &'static str, text: String, datatype: &'static str) -> Node {
        self.object(property, Object::Typed(text, datatype))
    }
}

/// The nodes as one JSON-LD document (`@graph` when there are several).
pub fn to_jsonld(nodes: &[Node]) -> Value {
    let context: Map<String, Value> = PREFIXES
        .iter()
        .map(|(prefix, iri)| ((*prefix).to_owned(), Value::String((*iri).to_owned())))
        .collect();
    let mut document = match nodes {
        [one] => node_json(one),
        many => json!({"@graph": many.iter().map(node_json).collect::<Vec<_>>()}),
    };
    document["@context"] = Value::Object(context);
    document
}

fn node_json(node: &Node) -> Value {
    let mut map = Map::new();
    if let Some(iri) = &node.iri {
        map.insert("@id".into(), iri.clone().into());
    }
    map.insert("@type".into(), node.kind.into());
    for (property, object) in &node.properties {
        let value = match object {
            Object::Iri(iri) => json!({"@id": iri}),
            Object::Plain(text) => text.clone().into(),
            Object::Spanish(text) => json!({"@value": text, "@language": LANGUAGE}),
            Object::Typed(text, datatype) => json!({"@value": text, "@type": datatype}),
            Object::Node(inner) => node_json(inner),
        };
        match map.get_mut(*property) {
            Some(Value::Array(values)) => values.push(value),
            Some(first) => *first = Value::Array(vec![first.take(), value]),
            None => {
                map.insert((*property).to_owned(), value);
            }
        }
    }
    Value::Object(map)
}
