#!/usr/bin/env node
/**
 * The CDK app. cdk.json runs this source with tsx, so `cdk synth` and `cdk deploy` always build
 * the stacks from the code as it is now (no compile step to forget).
 */
import { App } from 'aws-cdk-lib';
import { addScalelabStacks } from './scalelab-app.js';

const app = new App();
addScalelabStacks(app);
app.synth();
