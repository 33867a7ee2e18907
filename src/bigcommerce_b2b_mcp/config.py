"""Settings: read once at start-up from flags, the environment and a `.env` file."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from .api import DEFAULT_BASE_URL

MISSING_CREDENTIALS = (
    "BigCommerce credentials are missing. Set BIGCOMMERCE_STORE_HASH (the code in your "
    "control panel URL, store-<hash>.mybigcommerce.com) and BIGCOMMERCE_ACCESS_TOKEN in the "
    "environment or in a .env file. To get a token: Settings > Store-level API accounts > "
    "Create API account, give it the B2B Edition scope set to 'modify', and copy the access "
    "token. To try the server without a store, run it with --demo."
)

CommaList = Annotated[tuple[str, ...], NoDecode]
DEMO_POLL_INTERVAL = 10.0
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


class Settings(BaseSettings):
    """Everything the server needs to know, validated before anything starts."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_by_name=True,
        validate_by_alias=True,
    )

    store_hash: str | None = Field(default=None, validation_alias="BIGCOMMERCE_STORE_HASH")
    access_token: SecretStr | None = Field(
        default=None, validation_alias="BIGCOMMERCE_ACCESS_TOKEN"
    )
    api_url: str = Field(default=DEFAULT_BASE_URL, validation_alias="BIGCOMMERCE_B2B_API_URL")
    demo: bool = False

    toolsets: CommaList = Field(default=(), validation_alias="B2B_MCP_TOOLSETS")
    read_only: bool = Field(default=False, validation_alias="B2B_MCP_READ_ONLY")
    dynamic_toolsets: bool = Field(default=False, validation_alias="B2B_MCP_DYNAMIC_TOOLSETS")

    http_token: SecretStr | None = Field(default=None, validation_alias="B2B_MCP_HTTP_TOKEN")
    allowed_hosts: CommaList = Field(default=(), validation_alias="B2B_MCP_ALLOWED_HOSTS")
    allowed_origins: CommaList = Field(default=(), validation_alias="B2B_MCP_ALLOWED_ORIGINS")
    stateless_http: bool = Field(default=False, validation_alias="B2B_MCP_STATELESS_HTTP")

    triggers: bool = Field(default=True, validation_alias="B2B_MCP_TRIGGERS")
    api_share: float = Field(default=0.5, gt=0.0, le=1.0, validation_alias="B2B_MCP_API_SHARE")
    poll_interval: float = Field(default=30.0, ge=5.0, validation_alias="B2B_MCP_POLL_INTERVAL")
    state_dir: Path | None = Field(default=None, validation_alias="B2B_MCP_STATE_DIR")
    trigger_backfill: timedelta = Field(
        default=timedelta(0), validation_alias="B2B_MCP_TRIGGER_BACKFILL"
    )
    event_retention: int = Field(default=1000, ge=1, validation_alias="B2B_MCP_EVENT_RETENTION")
    redis_url: SecretStr | None = Field(default=None, validation_alias="B2B_MCP_REDIS_URL")
    demo_activity_interval: float = Field(
        default=4.0, ge=0.0, validation_alias="B2B_MCP_DEMO_ACTIVITY_INTERVAL"
    )

    @field_validator("toolsets", "allowed_hosts", "allowed_origins", mode="before")
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("trigger_backfill", mode="before")
    @classmethod
    def _parse_duration(cls, value: Any) -> Any:
        return parse_duration(value) if isinstance(value, str) else value

    @property
    def polling_interval(self) -> float:
        """The poll interval; the demo polls every 10 s unless told, so that its activity
        shows up in the triggers soon after it happens."""
        if self.demo and "poll_interval" not in self.model_fields_set:
            return DEMO_POLL_INTERVAL
        return self.poll_interval

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(REDIS_SCHEMES):
            raise ValueError(f"a Redis URL starts with {', '.join(REDIS_SCHEMES)}")
        return value

    @property
    def has_credentials(self) -> bool:
        return bool(self.store_hash and self.access_token and self.access_token.get_secret_value())


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """`90s`, `15m`, `24h`, `7d`, `2w` or plain seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", text.lower())
    if match is None:
        raise ValueError(f"not a duration: {text!r} (use e.g. 90s, 15m, 24h, 7d)")
    number, unit = match.groups()
    return timedelta(seconds=float(number) * _UNITS[unit or "s"])
