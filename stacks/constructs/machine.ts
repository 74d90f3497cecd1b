import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** AL2023's own root volume size; encrypted and gp3 (cheaper than gp2 for the same size). */
const ROOT_VOLUME_GIB = 8;

/**
 * Amazon Linux 2023 for the instance type's architecture (t4g is arm64), resolved from the public
 * SSM parameter at deploy time (no lookup at synth).
 */
export function labMachineImage(instanceType: ec2.InstanceType): ec2.IMachineImage {
  const cpuType =
    instanceType.architecture === ec2.InstanceArchitecture.ARM_64
      ? ec2.AmazonLinuxCpuType.ARM_64
      : ec2.AmazonLinuxCpuType.X86_64;
  return ec2.MachineImage.latestAmazonLinux2023({ cpuType });
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
