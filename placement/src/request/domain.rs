//! The portal's DOMAIN, checked: a host name (or IPv4 address), optionally with a port;
//! nothing else may enter a URL or a header made from it.

/// Whether `domain` is a host name (or IPv4 address), optionally with `:port`.
pub fn is_valid_domain(domain: &str) -> bool {
    let bytes = domain.as_bytes();
    let (host, port) = match bytes.iter().rposition(|&b| b == b':') {
        Some(i) => (&bytes[..i], Some(&bytes[i + 1..])),
        None => (bytes, None),
    };
    if let Some(p) = port {
        // 1 to 65535, at most five digits
        if p.is_empty() || p.len() > 5 || !p.iter().all(u8::is_ascii_digit) {
            return false;
        }
        let n = p.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
        if n == 0 || n > 65535 {
            return false;
        }
    }
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    // labels of 1 to 63 letters, digits and inner hyphens, separated by dots: one pass
    let (mut label, mut last) = (0, b'.');
    for &b in host {
        match b {
            b'.' if label == 0 || last == b'-' => return false,
            b'.' => label = 0,
            b'-' if label == 0 => return false,
            b'-' | b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => label += 1,
            _ => return false,
        }
        if label > 63 {
            return false;
        }
        last = b;
    }
    label > 0 && last != b'-'
}
