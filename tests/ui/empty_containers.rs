use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            s: section { blocks: {} },
            l: list { blocks: {} },
            line: lineOfBlocks { blocks: {} },
        },
    };
    let _ = layout! {
        blocks: {},
    };
}
