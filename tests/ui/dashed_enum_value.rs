use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            a: text { value: "a", color: base-90, size: lg },
            s: section { type: with-border, blocks: { b: text { value: "b" } } },
        },
    };
}
