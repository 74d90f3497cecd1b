"""botocore's CloudWatch client forced onto Smithy RPC v2 CBOR (it prefers JSON when it may
choose), for test/api/cloudwatch-cbor.test.ts. Prints one JSON line per call."""
import json
import sys

import botocore.exceptions
import botocore.model
import botocore.session

botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = ('smithy-rpc-v2-cbor',)

endpoint, group, start, end = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
client = botocore.session.get_session().create_client(
    'cloudwatch', endpoint_url=endpoint, region_name='us-east-1',
    aws_access_key_id='x', aws_secret_access_key='y')


def show(call):
    try:
        out = call()
        out.pop('ResponseMetadata', None)
        print(json.dumps(out, default=lambda value: value.timestamp()))
    except botocore.exceptions.ClientError as error:
        print(json.dumps({'error': error.response['Error']}))


print(json.dumps({'protocol': client.meta.service_model.resolved_protocol}))
query = dict(Namespace='AWS/EC2', MetricName='CPUUtilization',
             Dimensions=[{'Name': 'AutoScalingGroupName', 'Value': group}],
             StartTime=start, EndTime=end, Period=60, Statistics=['Average'])
show(lambda: client.get_metric_statistics(**query))
show(lambda: client.describe_alarms())
show(lambda: client.get_metric_statistics(**{**query, 'Period': 7}))
