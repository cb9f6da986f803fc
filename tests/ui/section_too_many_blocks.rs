use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            s: section {
                blocks: {
                    b1: text { value: "1" }, b2: text { value: "2" }, b3: text { value: "3" },
                    b4: text { value: "4" }, b5: text { value: "5" }, b6: text { value: "6" },
                    b7: text { value: "7" }, b8: text { value: "8" }, b9: text { value: "9" },
                    b10: text { value: "10" }, b11: text { value: "11" }, b12: text { value: "12" },
                    b13: text { value: "13" }, b14: text { value: "14" }, b15: text { value: "15" },
                    b16: text { value: "16" }, b17: text { value: "17" }, b18: text { value: "18" },
                    b19: text { value: "19" }, b20: text { value: "20" }, b21: text { value: "21" },
                },
            },
        },
    };
}
