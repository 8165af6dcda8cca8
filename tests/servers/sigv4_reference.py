"""AWS Signature V4 headers from botocore, AWS's own signer, for Sextant's signer tests.

Reads one JSON request on stdin:
  {"method", "url", "headers": [[name, value], ...], "body": text, "access_key", "secret_key",
   "session_token" (optional), "region", "service", "timestamp": "YYYYMMDDTHHMMSSZ",
   "unsigned_payload": bool (optional; for S3 botocore honours it only over https with a
   Content-MD5 header)}
and prints the headers botocore adds as a JSON object (Authorization, X-Amz-Date,
X-Amz-Content-SHA256, X-Amz-Security-Token when there is a token).

Sextant sends X-Amz-Content-Sha256 for every service (botocore only for S3), so for other
services the header is set here, to botocore's own hash of the body, before signing.
botocore takes the time from get_current_datetime() inside add_auth (overwriting
request.context['timestamp']), so that function is replaced to pin the time.
"""

import datetime
import json
import sys
from urllib.parse import parse_qsl, urlsplit

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials


def main() -> None:
    spec = json.load(sys.stdin)
    fixed = datetime.datetime.strptime(spec["timestamp"], "%Y%m%dT%H%M%SZ")
    botocore.auth.get_current_datetime = lambda *args, **kwargs: fixed

    query = urlsplit(spec["url"]).query
    request = AWSRequest(
        method=spec["method"],
        url=spec["url"],
        data=spec.get("body", "").encode("utf-8"),
        params=parse_qsl(query, keep_blank_values=True),
    )
    for name, value in spec.get("headers", []):
        request.headers[name] = value  # appends: repeated headers stay repeated

    creds = Credentials(spec["access_key"], spec["secret_key"], spec.get("session_token") or None)
    unsigned = spec.get("unsigned_payload", False)
    if spec["service"] == "s3":
        signer = botocore.auth.S3SigV4Auth(creds, "s3", spec["region"])
        if unsigned:
            request.context["client_config"] = Config(s3={"payload_signing_enabled": False})
    else:
        signer = botocore.auth.SigV4Auth(creds, spec["service"], spec["region"])
        if unsigned:
            request.context["payload_signing_enabled"] = False
        request.headers["X-Amz-Content-SHA256"] = signer.payload(request)

    signer.add_auth(request)
    names = ["Authorization", "X-Amz-Date", "X-Amz-Content-SHA256", "X-Amz-Security-Token"]
    out = {n: request.headers[n] for n in names if n in request.headers}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
