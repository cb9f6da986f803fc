use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            s: section {
                type: sucess,
                imageSrc: "ftp://example.com/a.png",
                blocks: {
                    line: lineOfBlocks { blocks: { f: textarea { title: "x" } } },
                    t: text { vlaue: "typo" },
                },
            },
        },
    };
}
