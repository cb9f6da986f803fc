use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            w: withTitle {
                title: "Items",
                block: list { blocks: { a: text { value: "a" } } },
            },
        },
    };
}
