use b24_widgets::layout;

fn main() {
    let _ = layout! {
        "blocks": {
            "greeting": { "type": "text", "properties": { "value": "Hello" } },
        },
    };
}
