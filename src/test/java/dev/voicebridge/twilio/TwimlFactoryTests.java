package dev.voicebridge.twilio;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.voicebridge.web.TwilioRoutes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TwimlFactory}.
 */
class TwimlFactoryTests {

	private static final String BASE = "https://x.example.com";

	private static final String STREAM_URL = "wss://x.example.com/twilio-media";

	@Test
	void connectStreamConnectsTheCallWithParametersInInsertionOrder() {
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("CallSid", "CA123");
		parameters.put("From", "+15551234567");
		parameters.put("businessId", "b1");

		String xml = TwimlFactory.connectStream(BASE, STREAM_URL, parameters);

		assertThat(xml).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
				+ "<Connect action=\"https://x.example.com/twilio/stream-action\" method=\"POST\">"
				+ "<Stream statusCallback=\"https://x.example.com/twilio/stream-status\" statusCallbackMethod=\"POST\""
				+ " url=\"wss://x.example.com/twilio-media\">" + "<Parameter name=\"CallSid\" value=\"CA123\"/>"
				+ "<Parameter name=\"From\" value=\"+15551234567\"/>" + "<Parameter name=\"businessId\" value=\"b1\"/>"
				+ "</Stream></Connect></Response>");
	}

	@Test
	void connectStreamWithoutParametersHasAnEmptyStream() {
		String xml = TwimlFactory.connectStream(BASE, STREAM_URL, Map.of());

		assertThat(xml).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
				+ "<Connect action=\"https://x.example.com/twilio/stream-action\" method=\"POST\">"
				+ "<Stream statusCallback=\"https://x.example.com/twilio/stream-status\" statusCallbackMethod=\"POST\""
				+ " url=\"wss://x.example.com/twilio-media\"/></Connect></Response>");
	}

	@Test
	void connectStreamEscapesParameterValues() throws Exception {
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("note", "a&b <c> \"d\"");

		String xml = TwimlFactory.connectStream(BASE, STREAM_URL, parameters);

		assertThat(xml).contains("<Parameter name=\"note\" value=\"a&amp;b &lt;c&gt; &quot;d&quot;\"/>");
		Element parameter = (Element) parse(xml).getElementsByTagName("Parameter").item(0);
		assertThat(parameter.getAttribute("value")).isEqualTo("a&b <c> \"d\"");
	}

	@Test
	void connectStreamParsesWithAStreamUrlWithoutQuery() throws Exception {
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("businessId", "b1");
		parameters.put("campaign", "x&y=z");

		Document document = parse(TwimlFactory.connectStream(BASE, STREAM_URL, parameters));

		Element connect = (Element) document.getElementsByTagName("Connect").item(0);
		assertThat(connect.getAttribute("action")).isEqualTo(BASE + TwilioRoutes.STREAM_ACTION);
		assertThat(connect.getAttribute("method")).isEqualTo("POST");
		Element stream = (Element) document.getElementsByTagName("Stream").item(0);
		assertThat(stream.getAttribute("url")).isEqualTo(STREAM_URL).doesNotContain("?");
		assertThat(stream.getAttribute("statusCallback")).isEqualTo(BASE + TwilioRoutes.STREAM_STATUS);
		assertThat(stream.getAttribute("statusCallbackMethod")).isEqualTo("POST");
		NodeList parameterNodes = stream.getElementsByTagName("Parameter");
		assertThat(parameterNodes.getLength()).isEqualTo(2);
		assertThat(((Element) parameterNodes.item(0)).getAttribute("name")).isEqualTo("businessId");
		assertThat(((Element) parameterNodes.item(1)).getAttribute("name")).isEqualTo("campaign");
		assertThat(((Element) parameterNodes.item(1)).getAttribute("value")).isEqualTo("x&y=z");
	}

	@Test
	void hangupEndsTheCall() {
		assertThat(TwimlFactory.hangup())
			.isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Hangup/></Response>");
	}

	@Test
	void fallbackWithNumberSaysTheMessageThenDials() {
		String xml = TwimlFactory.fallback("Sorry & goodbye", "+15550001111");

		assertThat(xml).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
				+ "<Say>Sorry &amp; goodbye</Say><Dial>+15550001111</Dial></Response>");
	}

	@Test
	void fallbackWithoutNumberSaysTheMessageThenHangsUp() {
		String xml = TwimlFactory.fallback("Sorry, <nobody> is here", null);

		assertThat(xml).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
				+ "<Say>Sorry, &lt;nobody&gt; is here</Say><Hangup/></Response>");
	}

	private static Document parse(String xml) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
		return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
	}

}
