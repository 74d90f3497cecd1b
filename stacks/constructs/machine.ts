import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** AL2023's own root volume size; encrypted and gp3 (cheaper than gp2 for the same size). */
const ROOT_VOLUME_GIB = 8;

/**
 * The Amazon Linux CPU type for an instance type: arm64 for Graviton types (t4g, m7g…), x86_64
 * otherwise, told from the name (family, generation, capabilities, size). A name it cannot read
 * is refused, naming it: the AMI depends on the answer.
 */
function amazonLinuxCpu(instanceType: ec2.InstanceType): ec2.AmazonLinuxCpuType {
  let architecture: ec2.InstanceArchitecture;
  try {
    architecture = instanceType.architecture;
  } catch (error) {
    throw new Error(
      `instance type "${instanceType}" is not an EC2 instance type such as t3.micro (x86_64) or t4g.micro (arm64)`,
      { cause: error },
    );
  }
  return architecture === ec2.InstanceArchitecture.ARM_64
    ? ec2.AmazonLinuxCpuType.ARM_64
    : ec2.AmazonLinuxCpuType.X86_64;
}

/** The instance type named `name`, checked at once (see {@link amazonLinuxCpu}). */
export function labInstanceType(name: string): ec2.InstanceType {
  const instanceType = new ec2.InstanceType(name);
  amazonLinuxCpu(instanceType);
  return instanceType;
}

/**
 * Amazon Linux 2023 for the instance type's CPU, resolved from AWS's public SSM parameter at
 * deploy time (no lookup at synth): a deploy after AWS publishes a new AMI replaces the
 * section-1 instances, which the operator finds by tag (README, "Redeploying").
 */
export function labMachineImage(instanceType: ec2.InstanceType): ec2.IMachineImage {
  return ec2.MachineImage.latestAmazonLinux2023({ cpuType: amazonLinuxCpu(instanceType) });
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
