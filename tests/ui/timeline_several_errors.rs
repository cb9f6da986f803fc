use b24_widgets::timeline;

fn main() {
    let _ = timeline! {
        icon: { code: "info" },
        header: {
            title: { english: "Call" },
            tags: { "a b": { title: "x", type: lavender } },
        },
        body: {
            blocks: {
                l: lineOfBlocks { blocks: { t: largeText { value: "x" } } },
                t: text { vlaue: "typo", size: lg },
            },
        },
    };
}
