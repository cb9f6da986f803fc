use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            outer: section {
                blocks: {
                    inner: section { blocks: { a: text { value: "a" } } },
                },
            },
        },
    };
}
