"""The rights of the person (DSR-1..16): requests from every channel, their deadlines, and each right executed."""
