//! Crawlers: whose user agent says it is a search engine or a link previewer
//! (config `hideFromBots`, on by default). Such a visitor sees no banner and
//! is granted nothing optional; the API answers as for an undecided visitor.
//!
//! The pattern (the README prints it word for word). The user agent is read
//! case-insensitively and cut into words at every character that is not an
//! ASCII letter or digit. It is a crawler when
//!
//! 1. a word ends in `bot`, `crawler` or `spider` (`Googlebot`, `bingbot`,
//!    `DuckDuckBot`, `YandexBot`, `Applebot`, `Twitterbot`, `LinkedInBot`,
//!    `Slackbot`, `Discordbot`, `TelegramBot`, `Pinterestbot`, `Baiduspider`,
//!    `AhrefsBot`, `GPTBot` …), except the phone maker `CUBOT`;
//! 2. or it contains one of the words of [`NAMES`] (link previewers and crawlers whose
//!    name has none of those words: `facebookexternalhit`, `Embedly`, `Slurp` …);
//! 3. or it starts with one of [`PREFIXES`] (previewers whose product name is
//!    also an app: `WhatsApp/2.23…` is the link previewer, while WhatsApp's
//!    in-app browser is a browser whose user agent does not start so).
//!
//! Not crawlers: real browsers, `HeadlessChrome` (a plain headless browser,
//! as tests use), Lighthouse, and screen readers (they run inside a browser
//! and send its user agent).

#[allow(unused_imports)]
use super::prelude::*;
use super::text::split;

/// Word endings that name a crawler (rule 1), lowercase.
pub const ENDINGS: [&str; 3] = ["bot", "crawler", "spider"];

/// Words ending in [`ENDINGS`] that are not crawlers, lowercase: the phone
/// maker CUBOT puts its name in its browsers' user agents.
pub const NOT_CRAWLERS: [&str; 1] = ["cubot"];

/// Names found anywhere in a crawler's user agent (rule 2), lowercase,
/// separated by spaces (one string: fewer bytes in the .wasm than a table).
pub const NAMES: &str = "facebookexternalhit facebookcatalog embedly iframely slurp ia_archiver \
mediapartners-google google-inspectiontool googleother feedfetcher skypeuripreview vkshare cardyb \
bitlypreview";

/// Starts of a link previewer's user agent (rule 3), lowercase.
pub const PREFIXES: [&str; 3] = ["whatsapp/", "pinterest/", "mastodon/"];

/// Whether `user_agent` identifies a crawler (see the module docs).
///
/// Plain byte loops on purpose: `str::contains` and friends bring the
/// standard library's substring searcher (kilobytes) into the banner module.
pub fn is_crawler(user_agent: &str) -> bool {
    let ua = user_agent.as_bytes();
    let at = |i: usize, name: &str| {
        ua.get(i..i + name.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(name.as_bytes()))
    };
    if PREFIXES.iter().any(|p| at(0, p))
        || (0..ua.len()).any(|i| split(NAMES, b' ').any(|n| at(i, n)))
    {
        return true;
    }
    // Each word: a maximal run of ASCII letters and digits.
    let mut start = 0;
    for end in 0..=ua.len() {
        if ua.get(end).is_some_and(u8::is_ascii_alphanumeric) {
            continue;
        }
        let word = ua.get(start..end).unwrap_or(&[]);
        let ends = |e: &str| {
            word.len() >= e.len()
                && word
                    .get(word.len() - e.len()..)
                    .is_some_and(|tail| tail.eq_ignore_ascii_case(e.as_bytes()))
        };
        if ENDINGS.iter().any(|e| ends(e))
            && !NOT_CRAWLERS
                .iter()
                .any(|n| word.eq_ignore_ascii_case(n.as_bytes()))
        {
            return true;
        }
        start = end + 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const CRAWLERS: &[&str] = &[
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.71 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Twitterbot/1.0",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "WhatsApp/2.23.20.0 A",
        "TelegramBot (like TwitterBot)",
        "Pinterest/0.2 (+https://www.pinterest.com/bot.html)",
        "Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)",
        "Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)",
        "Iframely/1.3.1 (+https://iframely.com/docs/about)",
        "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; +https://openai.com/gptbot)",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
        "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
        "Mozilla/5.0 (compatible; SomeCrawler/1.0)",
        "Mediapartners-Google",
        "Mozilla/5.0 (compatible; Google-InspectionTool/1.0)",
        "Mastodon/4.2.0 (http.rb/5.1.1; +https://mastodon.social/)",
        "SkypeUriPreview Preview/0.5",
        "AdsBot-Google (+http://www.google.com/adsbot.html)",
        "Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)",
    ];

    const BROWSERS: &[&str] = &[
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [Pinterest/iOS]",
        "Mozilla/5.0 (Linux; Android 13; CUBOT KingKong 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 WhatsApp/2.24.1",
        "",
    ];

    #[test]
    fn crawlers_are_recognised() {
        for ua in CRAWLERS {
            assert!(is_crawler(ua), "{ua}");
        }
    }

    #[test]
    fn browsers_headless_chrome_and_empty_are_not_crawlers() {
        for ua in BROWSERS {
            assert!(!is_crawler(ua), "{ua}");
        }
    }

    #[test]
    fn words_are_cut_at_non_alphanumerics_and_case_does_not_matter() {
        assert!(is_crawler("GOOGLEBOT"));
        assert!(is_crawler("x;bot;y"));
        assert!(!is_crawler("bottle/1.0"), "a word that starts with bot");
        assert!(
            !is_crawler("robotics-browser/1.0 botany"),
            "bot inside a word"
        );
        assert!(is_crawler("robot/1.0"), "a word that ends with bot");
        assert!(
            !is_crawler("Mozilla/5.0 (Linux; CUBOT_P50)"),
            "CUBOT is cut off at `_`"
        );
    }
}
