//! The curl options Sextant knows, by long and short name: which take an argument, which map
//! onto the request, which only change curl's own output, and which we cannot carry over.

/// What an option means for the imported request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Opt {
    Request,
    Header,
    Data,
    DataRaw,
    DataBinary,
    DataUrlencode,
    Json,
    Form,
    FormString,
    User,
    OAuth2Bearer,
    /// `--digest`: `-u` is Digest, not Basic.
    Digest,
    /// `--aws-sigv4 aws:amz:REGION:SERVICE`: `-u` is the access key and secret.
    AwsSigV4,
    Insecure,
    Location,
    Compressed,
    Cookie,
    Get,
    Head,
    UserAgent,
    Referer,
    Url,
    MaxTime,
    ConnectTimeout,
    MaxRedirs,
    Http10,
    Http11,
    Http2,
    Http2PriorKnowledge,
    Proxy,
    Socks5,
    NoProxy,
    UploadFile,
    /// Changes what curl prints or writes locally, not what it sends.
    OutputOnly,
    /// Changes the request in a way Sextant does not model.
    Unsupported,
}

pub(crate) struct Spec {
    pub opt: Opt,
    pub takes_arg: bool,
}

const fn spec(opt: Opt, takes_arg: bool) -> Spec {
    Spec { opt, takes_arg }
}

pub(crate) fn long(name: &str) -> Option<Spec> {
    use Opt::*;
    Some(match name {
        "request" => spec(Request, true),
        "header" => spec(Header, true),
        "data" | "data-ascii" => spec(Data, true),
        "data-raw" => spec(DataRaw, true),
        "data-binary" => spec(DataBinary, true),
        "data-urlencode" => spec(DataUrlencode, true),
        "json" => spec(Json, true),
        "form" => spec(Form, true),
        "form-string" => spec(FormString, true),
        "user" => spec(User, true),
        "oauth2-bearer" => spec(OAuth2Bearer, true),
        "digest" => spec(Digest, false),
        "aws-sigv4" => spec(AwsSigV4, true),
        "insecure" => spec(Insecure, false),
        "location" | "location-trusted" => spec(Location, false),
        "compressed" => spec(Compressed, false),
        "cookie" => spec(Cookie, true),
        "get" => spec(Get, false),
        "head" => spec(Head, false),
        "user-agent" => spec(UserAgent, true),
        "referer" => spec(Referer, true),
        "url" => spec(Url, true),
        "max-time" => spec(MaxTime, true),
        "connect-timeout" => spec(ConnectTimeout, true),
        "max-redirs" => spec(MaxRedirs, true),
        "http1.0" => spec(Http10, false),
        "http1.1" => spec(Http11, false),
        "http2" => spec(Http2, false),
        "http2-prior-knowledge" => spec(Http2PriorKnowledge, false),
        "proxy" => spec(Proxy, true),
        "socks5" | "socks5-hostname" => spec(Socks5, true),
        "noproxy" => spec(NoProxy, true),
        "upload-file" => spec(UploadFile, true),
        "silent" | "show-error" | "verbose" | "include" | "fail" | "fail-with-body"
        | "fail-early" | "progress-bar" | "no-progress-meter" | "no-buffer" | "remote-name"
        | "remote-name-all" | "remote-header-name" | "trace-time" | "globoff" | "create-dirs"
        | "styled-output" | "no-styled-output" | "show-headers" => spec(OutputOnly, false),
        "output" | "write-out" | "dump-header" | "trace" | "trace-ascii" | "stderr"
        | "cookie-jar" | "retry" | "retry-delay" | "retry-max-time" | "limit-rate"
        | "output-dir" | "config" => spec(OutputOnly, true),
        "cert"
        | "key"
        | "cacert"
        | "capath"
        | "resolve"
        | "connect-to"
        | "interface"
        | "proxy-user"
        | "unix-socket"
        | "abstract-unix-socket"
        | "local-port"
        | "dns-servers"
        | "range"
        | "time-cond"
        | "ciphers"
        | "tls-max"
        | "proxy-header"
        | "pinnedpubkey"
        | "netrc-file"
        | "cert-type"
        | "key-type"
        | "pass"
        | "proto"
        | "proto-redir"
        | "proto-default"
        | "request-target"
        | "max-filesize"
        | "variable"
        | "expand-url"
        | "ftp-port"
        | "quote"
        | "telnet-option"
        | "mail-from"
        | "mail-rcpt"
        | "preproxy"
        | "proxy-cacert"
        | "proxy-cert"
        | "proxy-key"
        | "login-options"
        | "sasl-authzid"
        | "service-name"
        | "delegation"
        | "keepalive-time"
        | "speed-limit"
        | "speed-time"
        | "happy-eyeballs-timeout-ms"
        | "hsts"
        | "alt-svc"
        | "doh-url"
        | "tlsuser"
        | "tlspassword"
        | "crlfile"
        | "engine"
        | "random-file"
        | "egd-file" => spec(Unsupported, true),
        "ntlm"
        | "negotiate"
        | "anyauth"
        | "netrc"
        | "netrc-optional"
        | "http3"
        | "http3-only"
        | "ipv4"
        | "ipv6"
        | "tr-encoding"
        | "post301"
        | "post302"
        | "post303"
        | "junk-session-cookies"
        | "proxytunnel"
        | "path-as-is"
        | "tlsv1.2"
        | "tlsv1.3"
        | "ssl-reqd"
        | "disable-eprt"
        | "disable-epsv" => spec(Unsupported, false),
        "basic" | "disable" | "manual" | "parallel" | "remote-time" => spec(OutputOnly, false),
        _ => return None,
    })
}

pub(crate) fn short(c: char) -> Option<Spec> {
    let name = match c {
        'X' => "request",
        'H' => "header",
        'd' => "data",
        'F' => "form",
        'u' => "user",
        'k' => "insecure",
        'L' => "location",
        'b' => "cookie",
        'G' => "get",
        'I' => "head",
        'A' => "user-agent",
        'e' => "referer",
        'm' => "max-time",
        'x' => "proxy",
        'T' => "upload-file",
        's' => "silent",
        'S' => "show-error",
        'v' => "verbose",
        'i' => "include",
        'f' => "fail",
        '#' => "progress-bar",
        'N' => "no-buffer",
        'O' => "remote-name",
        'J' => "remote-header-name",
        'g' => "globoff",
        'o' => "output",
        'w' => "write-out",
        'D' => "dump-header",
        'c' => "cookie-jar",
        'K' => "config",
        'E' => "cert",
        'U' => "proxy-user",
        'r' => "range",
        'z' => "time-cond",
        '0' => "http1.0",
        '4' => "ipv4",
        '6' => "ipv6",
        'j' => "junk-session-cookies",
        'n' => "netrc",
        'p' => "proxytunnel",
        'q' => "disable",
        'M' => "manual",
        'Z' => "parallel",
        'R' => "remote-time",
        _ => return None,
    };
    long(name)
}
