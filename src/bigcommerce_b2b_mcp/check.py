"""`check`: one cheap call that says plainly whether the credentials work, and if not, why."""

from __future__ import annotations

from .api.budget import Budget
from .api.client import B2BClient, RetryPolicy
from .config import MISSING_CREDENTIALS, Settings
from .errors import APIError, ConfigError, NotAllowedError, RateLimitedError, UnavailableError
from .models.company import CompanyQuery


async def check_credentials(settings: Settings) -> tuple[bool, str]:
    """(ok, a sentence for the user) after asking for one company."""
    if not (settings.store_hash and settings.access_token):
        raise ConfigError(MISSING_CREDENTIALS)
    client = B2BClient(
        store_hash=settings.store_hash,
        access_token=settings.access_token.get_secret_value(),
        base_url=settings.api_url,
        timeout=15.0,
        retry=RetryPolicy(max_attempts=2, base_delay=0.5, max_delay=1.0, max_rate_limit_wait=5.0),
        api_share=settings.api_share,
    )
    async with client:
        try:
            page = await client.companies.list(CompanyQuery(), limit=1)
        except NotAllowedError as exc:
            if exc.missing_scope:
                return False, (
                    "Token without the B2B Edition scope: the API accepted the token but refused "
                    "access (403). Edit the store-level API account and set the B2B Edition "
                    "scope to 'modify', then use its (new) access token."
                )
            return False, (
                "Wrong token: the API refused BIGCOMMERCE_ACCESS_TOKEN (401). Copy the access "
                "token of a store-level API account with the B2B Edition scope."
            )
        except RateLimitedError:
            return False, "The store's B2B Edition rate limit is used up; try again in a minute."
        except UnavailableError as exc:
            if exc.status is not None and exc.status >= 500:
                return False, (
                    "Wrong store hash, most likely: the API answered a server error "
                    f"({exc.status}), as B2B Edition does when the token does not belong to store "
                    f"'{settings.store_hash}'. Check BIGCOMMERCE_STORE_HASH (the code in "
                    "store-<hash>.mybigcommerce.com); if it is right, the API may be down."
                )
            return False, (
                f"Network unreachable: could not get an answer from {settings.api_url} ({exc}). "
                "Check the connection, proxy settings and BIGCOMMERCE_B2B_API_URL."
            )
        except APIError as exc:
            return False, f"Unexpected answer from the API: {exc}"
    found = (
        ""
        if page.total is None
        else (f"; it has {page.total} compan{'y' if page.total == 1 else 'ies'}")
    )
    message = f"OK: store '{settings.store_hash}' answered{found}.\n{describe(client.budget)}"
    if settings.redis_url is None:
        return True, message
    ok, shared = await check_redis(settings)
    return ok, f"{message}\n{shared}"


async def check_redis(settings: Settings) -> tuple[bool, str]:
    """(ok, a sentence) on the Redis that replicas share: reachable, and who polls."""
    from redis.exceptions import RedisError

    from .server import shared_cluster

    cluster = shared_cluster(settings)
    assert cluster is not None  # called with --redis-url only
    try:
        await cluster.redis.ping()
        holder = await cluster.lease.holder_now()
    except (RedisError, OSError) as exc:
        return False, (
            f"{cluster.unreachable(exc)} Check --redis-url (B2B_MCP_REDIS_URL): its host, port "
            "and password."
        )
    finally:
        await cluster.aclose()
    polling = f"replica {holder} polls the store" if holder else "no replica polls the store now"
    return True, f"Redis at {cluster.location} answered; {polling}."


def describe(budget: Budget) -> str:
    """The request budget in a sentence: the store's limit, this server's share, what is left."""
    status = budget.status()
    limit = f"{status.limit} requests per {status.window_seconds:g} s"
    source = "as the API reports" if status.learned else "the documented default; not reported"
    left = (
        f" The store had {status.store_remaining} left in its current window."
        if status.store_remaining is not None
        else ""
    )
    return (
        f"API budget: {limit} for the whole store ({source}). This server keeps to "
        f"{status.share:.0%} of it: {status.allowance} requests per window, tool calls "
        f"first; the merchant's other integrations keep the rest.{left}"
    )
