use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            items: list {
                blocks: {
                    li1: text { value: "one" },
                    li2: select { values: { a: "A" } },
                },
            },
        },
    };
}
