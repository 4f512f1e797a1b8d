"""Each kind of actor as FollowTheMoney has it: the schema it is exported and screened as, and what it is screened
against.

One table for `dossiers export --format ftm` and `dossiers screen`, so that an actor is
the same kind of entity in both. An armed force here is a state's (Belarus's, Zimbabwe's):
a PublicBody, as ministries are.
"""

from __future__ import annotations

from .model import ActorKind

SCHEMA = {
    ActorKind.person: "Person",
    ActorKind.organization: "Organization",
    ActorKind.company: "Company",
    ActorKind.public_body: "PublicBody",
    ActorKind.political_party: "Organization",
    ActorKind.armed_force: "PublicBody",
    ActorKind.state: "PublicBody",
}

# The schemata of the candidates an actor of each kind is screened against. States are not
# screened: lists name them as countries, not as entities.
SCREENED_AGAINST = {
    ActorKind.person: {"Person"},
    ActorKind.organization: {"Organization", "Company", "LegalEntity", "PublicBody"},
    ActorKind.company: {"Organization", "Company", "LegalEntity"},
    ActorKind.public_body: {"Organization", "PublicBody", "LegalEntity"},
    ActorKind.political_party: {"Organization", "LegalEntity"},
    ActorKind.armed_force: {"Organization", "PublicBody", "LegalEntity"},
}
