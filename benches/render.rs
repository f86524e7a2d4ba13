//! Laying out a 1 MB article (Chinese paragraphs, English, lists, tables, code, links) at width
//! 80: `cargo bench --bench render`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use folio::markdown::parse;
use folio::width::AmbiWidth;
use folio::wrap::layout;

/// A deterministic ~1 MB article.
fn article(target: usize) -> String {
    let han: Vec<char> = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严".chars().collect();
    let words = [
        "Rust",
        "terminal",
        "Unicode",
        "layout",
        "grapheme",
        "width",
        "Microsoft",
        "pulldown",
        "markdown",
        "kinsoku",
        "performance",
        "benchmark",
        "segmentation",
        "browser",
    ];
    let punct = ["，", "。", "、", "；", "：", "“", "”", "（", "）", "……"];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut out = String::with_capacity(target + 4096);
    let mut section = 0;
    while out.len() < target {
        section += 1;
        out.push_str(&format!(
            "## 第 {section} 节：{} and {}\n\n",
            han[next(han.len())],
            words[next(words.len())]
        ));
        for _ in 0..4 {
            // A paragraph of 150–400 characters, mostly Chinese, some English and links.
            let len = 150 + next(250);
            for i in 0..len {
                match next(40) {
                    0..=30 => out.push(han[next(han.len())]),
                    31..=34 => out.push_str(punct[next(punct.len())]),
                    35..=37 => {
                        out.push(' ');
                        out.push_str(words[next(words.len())]);
                        out.push(' ');
                    }
                    38 => out.push_str(&format!(
                        "[链接{i}](https://example.com/{section}/{i}?q=1&r=2)"
                    )),
                    _ => out.push_str("**重点**"),
                }
            }
            out.push_str("\n\n");
        }
        out.push_str("- 列表项一，包含 English words 和中文\n  - 嵌套的列表项二\n    1. 有序的第三层\n- [x] 完成的任务\n\n");
        out.push_str(
            "> 引用的文字：微信暂停新用户注册，官方紧急回应！\n> > 嵌套引用 with English.\n\n",
        );
        out.push_str("| 名称 | 说明 | 数量 |\n|:--|:--|--:|\n| 苹果 | 红色的水果，很甜 | 3 |\n| pear | a long English description that needs wrapping in a cell | 12 |\n\n");
        out.push_str("```rust\nfn main() {\n\tlet s = \"一个很长的字符串，一个很长的字符串，一个很长的字符串，一个很长的字符串\";\n    println!(\"{s}\");\n}\n```\n\n");
    }
    out
}

fn bench(c: &mut Criterion) {
    let md = article(1 << 20);
    let doc = parse(&md);
    let mut g = c.benchmark_group("render 1 MB article");
    g.sample_size(10);
    g.bench_function("parse", |b| b.iter(|| parse(black_box(&md))));
    g.bench_function("layout at width 80", |b| {
        b.iter(|| layout(black_box(&doc), 80, AmbiWidth::Single))
    });
    g.bench_function("parse + layout at width 80", |b| {
        b.iter(|| layout(&parse(black_box(&md)), 80, AmbiWidth::Single))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
