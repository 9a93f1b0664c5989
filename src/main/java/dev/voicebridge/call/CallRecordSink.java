package dev.voicebridge.call;

/** Where finished calls' records go; never blocks the call that hands one over. */
public interface CallRecordSink {

	void publish(CallRecord record);

}
