"""What the portal publishes: the Executive Dashboard's management information (from anonymous facts
recorded when events happen), news and announcements, scheduled maintenance and the versioned RTA
Insurer Index (docs/publishing.md)."""
