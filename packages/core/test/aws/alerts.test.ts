import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { publishAlert } from "../../src/aws.js";

let moto: Moto;
let topicArn: string;
let queueUrl: string;
let sqs: SQSClient;

beforeAll(async () => {
  moto = await startMoto();
  const options = { endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials };
  const sns = new SNSClient(options);
  sqs = new SQSClient(options);
  topicArn = (await sns.send(new CreateTopicCommand({ Name: "alerts" }))).TopicArn!;
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "inbox" }))).QueueUrl!;
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: "sqs",
      Endpoint: attrs.Attributes!.QueueArn!,
      Attributes: { RawMessageDelivery: "true" },
    }),
  );
  sns.destroy();
});
afterAll(async () => {
  sqs?.destroy();
  await moto?.stop();
});

it("publishes one alert to the topic, with a subject SNS accepts", async () => {
  const options = { endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials };
  const sent = await publishAlert(
    topicArn,
    { subject: `mass-ingest: rollout stopped\n${"x".repeat(200)}`, message: "8 of 20 canaries failed" },
    options,
  );
  expect(sent).toBe(true);
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  expect(got.Messages?.map((m) => m.Body)).toEqual(["8 of 20 canaries failed"]);
});

it("reports a failed publish and does not throw", async () => {
  const errors: unknown[] = [];
  const options = { endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials, onError: (e: unknown) => errors.push(e) };
  const sent = await publishAlert(`${topicArn}-missing`, { subject: "s", message: "m" }, options);
  expect(sent).toBe(false);
  expect(errors).toHaveLength(1);
});
