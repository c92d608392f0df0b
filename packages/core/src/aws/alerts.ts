import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { awsClientConfig, type AwsClientOptions } from "./clients.js";

/**
 * Publishes one alert to an SNS topic (the deployment's alerts topic). An alert that cannot be sent is reported
 * to `onError` and never fails the caller: the same text is in the log either way.
 */
export async function publishAlert(
  topicArn: string,
  alert: { subject: string; message: string },
  options: AwsClientOptions & { onError?: (error: unknown) => void } = {},
): Promise<boolean> {
  const region = options.region ?? /^arn:aws[a-z-]*:sns:([^:]+):/.exec(topicArn)?.[1];
  const client = new SNSClient({ ...awsClientConfig(options), ...(region ? { region } : {}) });
  try {
    // SNS subjects: ASCII, at most 100 characters, no line breaks.
    const subject = alert.subject.replace(/[^\x20-\x7e]/g, " ").slice(0, 100);
    await client.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: alert.message }));
    return true;
  } catch (error) {
    options.onError?.(error);
    return false;
  } finally {
    client.destroy();
  }
}
