"""The client's address, and its shortened form that is the only one ever stored (ACC-9, COOK-7)."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or the last X-Forwarded-For hop (the one our trusted proxy appended; earlier hops
    are whatever the client sent) when Guichet runs behind that proxy."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def truncate_ip(address: str) -> str:
    """IPv4 without its last octet (203.0.113.0), IPv6 reduced to its /48 network; '' if unparsable."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:  # ::ffff:a.b.c.d is an IPv4 client
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)
