import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { ReferralDeadlines } from './referral-deadlines';
import { ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';

@Module({
  imports: [CasesModule],
  controllers: [ReferralsController],
  providers: [ReferralsService, ReferralDeadlines],
})
export class ReferralsModule {}
