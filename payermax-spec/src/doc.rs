//! What the rule interpreter reads: a document of named fields. `serde_json::Value` is one;
//! the types `generate!()` emits are others (they implement [`Doc`] with a `match` on field
//! names), so typed requests are validated by this same interpreter without being serialized,
//! and both report identically.
//!
//! Hidden from the documentation: this module and [`crate::fast`] are the interface between
//! the code `generate!()` emits and this crate, not an API to call (signatures such as
//! [`crate::Spec::validate_payout`] take any `&dyn Doc`, and `serde_json::Value` is one).

use serde_json::Value;

/// One field's value, as the interpreter sees it.
#[derive(Clone, Copy)]
pub enum Node<'a> {
    /// Not sent (or JSON `null`).
    Absent,
    /// A string.
    Str(&'a str),
    /// An integer.
    Int(i64),
    /// A number that is not an integer.
    Num,
    /// A boolean.
    Bool,
    /// An object.
    Obj(&'a dyn Doc),
    /// An array.
    List(&'a dyn DocList),
}

impl Node<'_> {
    /// Not sent: absent, or an empty string (PayerMax treats blank fields as not sent).
    pub fn is_absent(&self) -> bool {
        matches!(self, Node::Absent | Node::Str(""))
    }

    /// The string, if the value is a non-empty string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Str(s) if !s.is_empty() => Some(s),
            _ => None,
        }
    }
}

/// An object whose fields the interpreter can read by JSON name.
pub trait Doc {
    /// The field `name` (its JSON name).
    fn get(&self, name: &str) -> Node<'_>;
    /// At least one field is sent (an object rule's `required`). By default, read through
    /// [`Doc::field_count`] and [`Doc::field_at`] (what a generated type implements).
    fn any_present(&self) -> bool {
        (0..self.field_count()).any(|i| !self.field_at(i).is_absent())
    }
    /// How many fields [`Doc::field_at`] numbers (0 for a document read by name only).
    fn field_count(&self) -> usize {
        0
    }
    /// False for a JSON value that is not an object.
    fn is_object(&self) -> bool {
        true
    }
    /// For a type `generate!()` emitted: the fingerprint of the API rules it was generated
    /// from ([`crate::Spec::api_fingerprint`]) and its type name (`None` for JSON). When both
    /// match what the interpreter walks, it reads the fields with [`Doc::field_at`] and asks
    /// [`Doc::fields_ok`] first.
    fn generated_as(&self) -> Option<(u64, &str)> {
        None
    }
    /// Field number `index` of the type, in declaration order (a jump table, where
    /// [`Doc::get`] compares names); `Absent` past the end.
    fn field_at(&self, index: usize) -> Node<'_> {
        let _ = index;
        Node::Absent
    }
    /// Whether the object passes the API-wide field rules of its type (with `required`: absent
    /// required fields count), answered by its generated checks: the interpreter then skips a
    /// subtree that passes. `None` when there is no such answer.
    fn fields_ok(&self, required: bool) -> Option<bool> {
        let _ = required;
        None
    }
    /// For a document that holds its fields by name (a JSON object): calls `f` with each
    /// field it holds, in any order, and returns `true`, so the interpreter reads the object
    /// in one pass over what was sent instead of looking every declared field up by name.
    /// `false` (the default) when it cannot list them.
    fn each_field<'a>(&'a self, f: &mut dyn FnMut(&'a str, Node<'a>)) -> bool {
        let _ = f;
        false
    }
}

/// An array the interpreter can read.
pub trait DocList {
    /// How many items.
    fn len(&self) -> usize;
    /// The item at `index` (`Absent` past the end).
    fn item(&self, index: usize) -> Node<'_>;
    /// No items.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A value that can be read as a [`Node`]: implemented by generated types and their fields.
pub trait ToNode {
    /// The value as a node.
    fn node(&self) -> Node<'_>;
}

impl ToNode for String {
    fn node(&self) -> Node<'_> {
        Node::Str(self)
    }
}

impl ToNode for i64 {
    fn node(&self) -> Node<'_> {
        Node::Int(*self)
    }
}

impl ToNode for bool {
    fn node(&self) -> Node<'_> {
        Node::Bool
    }
}

impl ToNode for serde_json::Number {
    fn node(&self) -> Node<'_> {
        self.as_i64().map_or(Node::Num, Node::Int)
    }
}

impl<T: ToNode> ToNode for Option<T> {
    fn node(&self) -> Node<'_> {
        self.as_ref().map_or(Node::Absent, ToNode::node)
    }
}

impl<T: ToNode> ToNode for Vec<T> {
    fn node(&self) -> Node<'_> {
        Node::List(self)
    }
}

impl<T: ToNode> DocList for Vec<T> {
    fn len(&self) -> usize {
        <[T]>::len(self)
    }
    fn item(&self, index: usize) -> Node<'_> {
        self.get(index).map_or(Node::Absent, ToNode::node)
    }
}

impl ToNode for Value {
    fn node(&self) -> Node<'_> {
        match self {
            Value::Null => Node::Absent,
            Value::String(s) => Node::Str(s),
            Value::Number(n) => n.as_i64().map_or(Node::Num, Node::Int),
            Value::Bool(_) => Node::Bool,
            Value::Object(_) => Node::Obj(self),
            Value::Array(items) => Node::List(items),
        }
    }
}

impl Doc for Value {
    fn get(&self, name: &str) -> Node<'_> {
        match self {
            Value::Object(map) => map.get(name).map_or(Node::Absent, ToNode::node),
            _ => Node::Absent,
        }
    }
    fn any_present(&self) -> bool {
        match self {
            Value::Object(map) => map.values().any(|v| !v.node().is_absent()),
            _ => false,
        }
    }
    fn is_object(&self) -> bool {
        self.is_object()
    }
    fn each_field<'a>(&'a self, f: &mut dyn FnMut(&'a str, Node<'a>)) -> bool {
        match self {
            Value::Object(map) => {
                map.iter().for_each(|(k, v)| f(k, v.node()));
                true
            }
            _ => false,
        }
    }
}

/// The node at a dotted path (`payeeInfo.accountInfo.accountNo`).
pub fn lookup<'a>(doc: &'a dyn Doc, path: &str) -> Node<'a> {
    lookup_segments(doc, path.split('.'))
}

/// The node at a path given as its segments (`payeeInfo`, `accountInfo`, `accountNo`): the
/// rule plan keeps each rule path split once.
pub fn lookup_segments<'a, 's>(
    doc: &'a dyn Doc,
    segments: impl IntoIterator<Item = &'s str>,
) -> Node<'a> {
    let mut node = Node::Obj(doc);
    for seg in segments {
        node = match node {
            Node::Obj(d) => d.get(seg),
            _ => return Node::Absent,
        };
    }
    node
}
