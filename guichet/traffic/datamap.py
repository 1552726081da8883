"""Data map of the traffic app (the connection log, ACC-9): each field's register data category."""

from guichet.privacy.datamap import NotPersonal, Personal

CONNECTION = Personal("connection_data")

DATA_MAP = {
    "Connection": {
        "id": NotPersonal("technical key"),
        "at": CONNECTION,
        "ip_prefix": CONNECTION,  # the IP address without its last octet
        "browser_family": CONNECTION,
        "device_family": CONNECTION,
        "path": CONNECTION,
        "language": CONNECTION,
        "authenticated": CONNECTION,
    },
}
