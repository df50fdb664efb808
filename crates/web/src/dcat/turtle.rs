//! The graph written as Turtle: prefixes, then each node with an IRI as its own block; blank
//! nodes nested in brackets; every literal and IRI escaped as the grammar requires.

use std::fmt::Write;

use super::graph::{Node, Object, LANGUAGE, PREFIXES};

pub fn write(nodes: &[Node]) -> String {
    let mut out = String::new();
    for (prefix, iri) in PREFIXES {
        let _ = writeln!(out, "@prefix {prefix}: <{iri}> .");
    }
    let mut pending: Vec<&Node> = nodes.iter().collect();
    while let Some(node) = pending.first().copied() {
        pending.remove(0);
        out.push('\n');
        let subject = node
            .iri
            .as_deref()
            .map(iri)
            .unwrap_or_else(|| "[]".to_owned());
        let mut nested = Vec::new();
        write_body(&mut out, &subject, node, 1, &mut nested);
        out.push_str(" .\n");
        pending.extend(nested);
    }
    out
}

/// Writes `subject a type ; p o ; …`; nodes with an IRI met on the way are written later.
fn write_body<'a>(
    out: &mut String,
    subject: &str,
    node: &'a Node,
    depth: usize,
    later: &mut Vec<&'a Node>,
) {
    let indent = "    ".repeat(depth);
    let _ = write!(out, "{subject} a {}", node.kind);
    for (property, object) in &node.properties {
        let _ = write!(out, " ;\n{indent}{property} ");
        match object {
            Object::Iri(value) => out.push_str(&iri(value)),
            Object::Plain(text) => out.push_str(&literal(text)),
            Object::Spanish(text) => {
                let _ = write!(out, "{}@{LANGUAGE}", literal(text));
            }
            Object::Typed(text, datatype) => {
                let _ = write!(out, "{}^^{datatype}", literal(text));
            }
            Object::Node(inner) => match &inner.iri {
                Some(value) => {
                    out.push_str(&iri(value));
                    later.push(inner);
                }
                None => {
                    out.push('[');
                    let mut body = String::new();
                    write_body(&mut body, "", inner, depth + 1, later);
                    out.push_str(body.trim_start());
                    out.push(']');
                }
            },
        }
    }
}

/// `<…>` with the characters an IRI may not hold escaped.
fn iri(value: &str) -> String {
    let mut out = String::from("<");
    for c in value.chars() {
        if c <= ' ' || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\') {
            let _ = write!(out, "\\u{:04X}", c as u32);
        } else {
            out.push(c);
        }
    }
    out.push('>');
    out
}

/// A quoted literal with quotes, backslashes and control characters escaped.
fn literal(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_iris_cannot_break_out_of_their_quotes() {
        assert_eq!(literal("a \"b\"\n\\"), "\"a \\\"b\\\"\\n\\\\\"");
        assert_eq!(iri("http://x/a b>"), "<http://x/a\\u0020b\\u003E>");
    }

    #[test]
    fn nested_blank_nodes_go_in_brackets_and_named_ones_in_their_own_block() {
        let graph = [Node::iri("http://x/d", "dcat:Dataset")
            .lang("dct:title", "Título")
            .object(
                "dcat:contactPoint",
                Object::Node(Node::blank("vcard:Organization").plain("vcard:fn", "Área".into())),
            )
            .object(
                "dcat:distribution",
                Object::Node(Node::iri("http://x/r", "dcat:Distribution")),
            )];
        let ttl = write(&graph);
        assert!(ttl.contains("<http://x/d> a dcat:Dataset ;\n    dct:title \"Título\"@es ;"));
        assert!(
            ttl.contains("dcat:contactPoint [a vcard:Organization ;\n        vcard:fn \"Área\"]")
        );
        assert!(ttl
            .contains("dcat:distribution <http://x/r> .\n\n<http://x/r> a dcat:Distribution .\n"));
    }
}
