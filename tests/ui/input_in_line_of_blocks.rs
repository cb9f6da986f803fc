use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            line: lineOfBlocks {
                blocks: {
                    label: text { value: "Name:" },
                    name: input { placeholder: "Enter name" },
                },
            },
        },
    };
}
