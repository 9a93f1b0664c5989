package dev.voicebridge.config;

import java.net.InetSocketAddress;

/** A peer's address as logs and diagnostics show it. */
public final class ClientAddress {

	private ClientAddress() {
	}

	/** The IP address as text; the host name when there is no address; null for no peer. */
	public static String of(InetSocketAddress address) {
		if (address == null) {
			return null;
		}
		return (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString();
	}

}
