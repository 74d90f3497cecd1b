import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** A small burstable type, the seed lab's choice and the cost estimate's. */
export const DEFAULT_INSTANCE_TYPE = 't3.micro';
/** AL2023's own root volume size; encrypted and gp3 (cheaper than gp2 for the same size). */
const ROOT_VOLUME_GIB = 8;

/** Amazon Linux 2023, resolved from the public SSM parameter at deploy time (no lookup at synth). */
export function labMachineImage(): ec2.IMachineImage {
  return ec2.MachineImage.latestAmazonLinux2023();
}

/** The root volume every lab instance boots from. */
export function encryptedRootVolume(): ec2.BlockDevice {
  return {
    deviceName: '/dev/xvda',
    volume: ec2.BlockDeviceVolume.ebs(ROOT_VOLUME_GIB, {
      encrypted: true,
      volumeType: ec2.EbsDeviceVolumeType.GP3,
      deleteOnTermination: true,
    }),
  };
}
