//! A JSON Schema (draft 2020-12) of LayoutDto, generated from the rule table: what an
//! editor needs to complete and underline a layout while it is typed.
//!
//! Every object of the table becomes a definition with its properties, their types and
//! enumerations, its required members and no other key; every container says which block
//! types it takes and how many; cross-field rules become `dependentSchemas` and `not`.
//! What a schema cannot say is listed in [`NOT_EXPRESSED`]; `b24 check` says it.

use serde_json::{json, Map, Value};

use crate::schema::{Cross, Kind, Lang, Nest, Role, StructSpec, ACTION, ROOT};

/// The rules a JSON Schema cannot express, by rule code, with why.
pub const NOT_EXPRESSED: &[(&str, &str)] = &[
    ("selected-value-not-in-values", "a schema cannot say that one property's value is a key of another's"),
    ("duplicate-key", "JSON parsers keep the last of two equal keys before a schema sees them"),
    (
        "dangerous-uri",
        "the schema refuses `javascript:`, `data:` and `vbscript:` written plainly; a browser also ignores tabs and newlines inside the scheme, which only the checker follows",
    ),
];

fn def_name(spec: &StructSpec) -> String {
    match spec.role {
        Role::Block => format!("{}.properties", spec.name),
        Role::Action => format!("action.{}", spec.name),
        Role::Object => spec.name.to_owned(),
    }
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{name}") })
}

fn block_def_name(ty: &str) -> String {
    format!("block.{ty}")
}

fn container_def_name(nest: &Nest) -> String {
    format!("blocks.{}", nest.parent)
}

/// One block where `nest` takes blocks: any of its allowed types.
fn one_block(nest: &Nest) -> Value {
    json!({ "anyOf": nest.allowed().map(|t| reference(&block_def_name(t))).collect::<Vec<_>>() })
}

fn kind_schema(kind: &Kind) -> Value {
    match kind {
        Kind::Str(rule) => {
            let mut s = json!({"type": "string"});
            if let (Value::Object(o), Ok(Value::Object(more))) =
                (&mut s, serde_json::from_str::<Value>(rule.schema))
            {
                o.extend(more);
            }
            s
        }
        Kind::Bool => json!({"type": "boolean"}),
        Kind::UInt => json!({"type": "integer", "minimum": 0, "maximum": u32::MAX}),
        Kind::Enum(e) => json!({"enum": e.values, "description": format!("a {}", e.name)}),
        Kind::Any => json!({}),
        Kind::Object(spec) => reference(&def_name(spec)),
        Kind::Action(_) => reference(ACTION.dto),
        Kind::Block(nest) => one_block(nest),
        Kind::Blocks(nest) => reference(&container_def_name(nest)),
        Kind::Values => json!({
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {"type": "string"},
            "description": "option code to the label the user sees, in display order",
        }),
        Kind::Flag => json!({"anyOf": [{"type": "boolean"}, {"enum": ["true", "false"]}]}),
        Kind::Text => json!({
            "anyOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "minProperties": 1,
                    "propertyNames": {"enum": crate::timeline::LANGUAGES},
                    "additionalProperties": {"type": "string"},
                },
            ],
            "description": "a text, or the text per language code",
        }),
        Kind::Items(items) => {
            let mut s = json!({
                "type": "object",
                "propertyNames": {"pattern": KEY_PATTERN},
                "additionalProperties": reference(&def_name(items.spec)),
            });
            if let Some(max) = items.max {
                s["maxProperties"] = json!(max);
            }
            s
        }
        Kind::Params => json!({"type": ["object", "array"]}),
    }
}

/// The timeline's key rule, as a schema pattern.
const KEY_PATTERN: &str = "^[A-Za-z0-9_-]+$";

/// An object of the table: its fields (and `extra` ones, such as an action's tag).
fn object_schema(spec: &StructSpec, extra: &[(&str, Value, bool)]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (name, schema, req) in extra {
        properties.insert((*name).to_owned(), schema.clone());
        if *req {
            required.push(Value::from(*name));
        }
    }
    for f in spec.fields {
        properties.insert(f.name.to_owned(), kind_schema(&f.kind));
        if f.required {
            required.push(Value::from(f.name));
        }
    }
    let mut s = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        s["required"] = Value::Array(required);
    }
    let mut dependent = Map::new();
    let mut all_of = Vec::new();
    for cross in spec.cross {
        match *cross {
            Cross::NeedsTrue { field, flag, .. } => {
                dependent.insert(
                    field.to_owned(),
                    json!({"required": [flag], "properties": {flag: {"const": true}}}),
                );
            }
            Cross::Exclusive { a, b, .. } => all_of.push(json!({"not": {"required": [a, b]}})),
            // not expressible: see NOT_EXPRESSED
            Cross::KeyOf { .. } => {}
        }
    }
    if !dependent.is_empty() {
        s["dependentSchemas"] = Value::Object(dependent);
    }
    if !all_of.is_empty() {
        s["allOf"] = Value::Array(all_of);
    }
    s
}

/// The whole schema of the widget's LayoutDto.
pub fn layout_schema() -> Value {
    schema_for(
        Lang::Widget,
        ROOT,
        "The built-in interface of a Bitrix24 CRM_XXX_DETAIL_ACTIVITY widget (useBuiltInInterface = Y), generated from the rule table of b24-widgets. Not expressed here, checked by `b24 check`: selectedValue among values, keys written twice, schemes hidden by tabs.",
    )
}

/// The schema of a configurable activity's LayoutDto.
pub fn activity_schema() -> Value {
    schema_for(
        Lang::Timeline,
        &crate::timeline::LayoutDto::SPEC,
        "A configurable activity of the Bitrix24 CRM timeline (crm.activity.configurable.add/update `layout`), generated from the rule table of b24-widgets. Not expressed here, checked by `b24 check --kind activity`: keys written twice, schemes hidden by tabs.",
    )
}

/// The schema of a content-block set (RestAppLayoutDto).
pub fn blocks_schema() -> Value {
    schema_for(
        Lang::Timeline,
        &crate::timeline::RestAppLayoutDto::SPEC,
        "A set of content blocks for a Bitrix24 CRM timeline record (crm.activity.layout.blocks.set / crm.timeline.layout.blocks.set `layout`), generated from the rule table of b24-widgets. Not expressed here, checked by `b24 check --kind blocks`: keys written twice, schemes hidden by tabs.",
    )
}

/// The schema of the document whose root is `root`, in `lang`.
pub fn schema_for(lang: Lang, root: &'static StructSpec, description: &str) -> Value {
    let mut defs = Map::new();
    // the objects reached through Kind::Object and Kind::Items (buttons, slider params,
    // the timeline's header, body, tags...), at any depth
    let mut objects: Vec<&'static StructSpec> = Vec::new();
    let mut todo: Vec<&'static StructSpec> = lang
        .block_types()
        .iter()
        .map(|b| b.props)
        .chain(lang.actions().iter().copied())
        .chain([root])
        .collect();
    while let Some(spec) = todo.pop() {
        for f in spec.fields {
            let reached = match f.kind {
                Kind::Object(o) => Some(o),
                Kind::Items(items) => Some(items.spec),
                _ => None,
            };
            if let Some(o) = reached {
                if !objects.iter().any(|s| s.name == o.name) && o.name != root.name {
                    objects.push(o);
                    todo.push(o);
                }
            }
        }
    }
    objects.sort_by_key(|s| s.name);
    for spec in &objects {
        defs.insert(def_name(spec), object_schema(spec, &[]));
    }
    let block = lang.block_envelope();
    for b in lang.block_types() {
        let name = b.props.name;
        defs.insert(def_name(b.props), object_schema(b.props, &[]));
        let mut properties = Map::new();
        properties.insert(block.tag.to_owned(), json!({"const": name}));
        for flag in block.flags {
            properties.insert((*flag).to_owned(), json!({"type": "boolean"}));
        }
        let body = block.body.unwrap_or("properties");
        properties.insert(body.to_owned(), reference(&def_name(b.props)));
        let body_required = block.body_required || b.props.fields.iter().any(|f| f.required);
        let required = if body_required {
            json!([block.tag, body])
        } else {
            json!([block.tag])
        };
        defs.insert(
            block_def_name(name),
            json!({
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": false,
            }),
        );
    }
    for nest in lang.containers() {
        if nest.max == Some(1) {
            continue; // a single block (withTitle's), not a map
        }
        let mut s = json!({
            "type": "object",
            "minProperties": nest.min,
            "additionalProperties": one_block(nest),
            "description": format!("block id to block, in display order ({})", if nest.top { "the layout".to_owned() } else { format!("a {}", nest.parent) }),
        });
        if let Some(max) = nest.max {
            s["maxProperties"] = json!(max);
        }
        if lang.strict_keys() {
            s["propertyNames"] = json!({"pattern": KEY_PATTERN});
        }
        defs.insert(container_def_name(nest), s);
    }
    for a in lang.actions() {
        let tag = (ACTION.tag, json!({"const": a.name}), true);
        defs.insert(def_name(a), object_schema(a, &[tag]));
    }
    defs.insert(
        ACTION.dto.to_owned(),
        json!({"anyOf": lang.actions().iter().map(|a| reference(&def_name(a))).collect::<Vec<_>>()}),
    );
    let title = root.name;
    let mut root = object_schema(root, &[]);
    let o = root.as_object_mut().expect("an object schema");
    let mut head = Map::new();
    head.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    head.insert("title".into(), json!(title));
    head.insert("description".into(), json!(description));
    head.extend(std::mem::take(o));
    head.insert("$defs".into(), Value::Object(defs));
    Value::Object(head)
}
