package dev.voicebridge.cli;

import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * What a webhook's TwiML tells Twilio to do, as far as a call needs it: the {@code <Stream>}
 * to open with its {@code <Parameter>}s, or else what the caller would hear instead.
 */
record TwimlAnswer(String streamUrl, Map<String, String> parameters, String instead) {

	static TwimlAnswer parse(String twiml) {
		Document document;
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
			document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(twiml)));
		}
		catch (ParserConfigurationException | SAXException | IOException ex) {
			return new TwimlAnswer(null, Map.of(), "an answer that is not TwiML (" + ex.getMessage() + ")");
		}
		NodeList streams = document.getElementsByTagName("Stream");
		if (streams.getLength() > 0) {
			Element stream = (Element) streams.item(0);
			Map<String, String> parameters = new LinkedHashMap<>();
			NodeList children = stream.getElementsByTagName("Parameter");
			for (int i = 0; i < children.getLength(); i++) {
				Element parameter = (Element) children.item(i);
				parameters.put(parameter.getAttribute("name"), parameter.getAttribute("value"));
			}
			return new TwimlAnswer(stream.getAttribute("url"), parameters, null);
		}
		if (document.getElementsByTagName("Gather").getLength() > 0) {
			return new TwimlAnswer(null, Map.of(), "a <Gather>: the call is served in traditional mode, turn by turn, "
					+ "which this command does not place (add ?mode=stream to the URL to force a stream)");
		}
		NodeList says = document.getElementsByTagName("Say");
		String said = (says.getLength() > 0) ? "a <Say> \"" + says.item(0).getTextContent().strip() + "\"" : null;
		return new TwimlAnswer(null, Map.of(), (said != null) ? said : "TwiML without a <Stream>");
	}

}
